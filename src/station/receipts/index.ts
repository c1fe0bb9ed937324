/** Settlement slips: the HTML, its PDF (printer port) and the times printed on it. */
export { RECEIPT_TITLES, TRAINING_WATERMARK, escapeHtml, receiptHtml } from './receipt-html';
export { isSafeReceiptFileName, receiptFileName, type ReceiptPdf, type ReceiptPdfPrinter } from './receipt-pdf';
export { chinaDateTime, compactChinaTime } from './receipt-time';
export { pruneReceipts, scheduleReceiptRetention } from './receipt-retention';
