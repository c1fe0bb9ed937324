/** Settlement slips: the HTML, its PDF (printer port) and the times printed on it. */
export {
  RECEIPT_FONT_STACK,
  RECEIPT_TITLES,
  REFUND_SLIP_TITLE,
  REPRINT_MARK,
  TRAINING_WATERMARK,
  escapeHtml,
  receiptHtml,
  type ReceiptHtmlOptions,
} from './receipt-html';
export {
  PAPER_SPECS,
  RECEIPT_PAPERS,
  ROLL_FALLBACK_HEIGHT_MICRONS,
  ReceiptPaperSchema,
  cssPxToMicrons,
  pageSizeFor,
  type PaperSpec,
  type ReceiptPaper,
} from './receipt-paper';
export { isSafeReceiptFileName, receiptFileName, type ReceiptPdf, type ReceiptPdfPrinter } from './receipt-pdf';
export { chinaDateTime, compactChinaTime } from './receipt-time';
export { pruneReceipts, scheduleReceiptRetention } from './receipt-retention';
export { RECEIPTS_DEFAULTS, ReceiptsConfigSchema, readReceiptsConfig, type ReceiptsConfig } from './print-settings';
export { ReceiptService, type PagePrintOutcome, type ReceiptPrintOutcome, type ReceiptServiceDeps } from './receipt-service';
export { parseLpstatDefault, parseLpstatDestinations, type SystemPrintJob, type SystemPrinterPort } from './system-printer';
export { receiptTestPageHtml } from './receipt-test-page';
