import './receipt.css';

export { ReceiptDialog } from './ReceiptDialog';
export { PrinterBadge } from './PrinterBadge';
export { printerBridge, printTestPageInShell } from './printer-bridge';
