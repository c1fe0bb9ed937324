import './ui.css';

// What is left of the app's first component set, until the slip dialog moves onto antd too.
export { Button } from './Button';
export { DataTable, type Column } from './DataTable';
export { Kbd } from './Kbd';
export { Spinner } from './Spinner';
