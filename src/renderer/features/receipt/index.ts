import './receipt.css';

export { ReceiptDialog } from './ReceiptDialog';
export { PrinterBadge } from './PrinterBadge';
