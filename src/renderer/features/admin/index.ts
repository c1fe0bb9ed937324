import './admin.css';

export { AdminScreen } from './AdminScreen';
