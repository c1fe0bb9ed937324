import './receipt.css';

export { ReceiptDialog } from './ReceiptDialog';
export { PrinterBadge } from './PrinterBadge';
export { printerBridge, printSlipInShell, printTestPageInShell } from './printer-bridge';
