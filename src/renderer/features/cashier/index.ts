import './cashier.css';

export { IdentifyScreen } from './IdentifyScreen';
