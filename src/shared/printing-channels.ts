/** The shell's printer IPC channels (printing.ts), zod-free so the sandboxed preload stays one small bundle. */
export const PRINTER_CHANNELS = {
  list: 'printer:list',
  status: 'printer:status',
  printReceipt: 'printer:print-receipt',
  testPage: 'printer:test-page',
  printSlip: 'printer:print-slip',
} as const;
