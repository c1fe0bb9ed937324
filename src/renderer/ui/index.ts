import './ui.css';

export { Button } from './Button';
export { DataTable, type Column } from './DataTable';
export { Kbd } from './Kbd';
export { Notice } from './Notice';
export { Panel } from './Panel';
export { Spinner } from './Spinner';
export { Tag, type Tone } from './Tag';
export { Tabs, type TabItem } from './Tabs';
export { TextField } from './TextField';
