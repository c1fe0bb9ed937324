import './receipt.css';

export { ReceiptDialog } from './ReceiptDialog';
