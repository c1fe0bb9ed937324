/**
 * The core's own way to a printer, where it has one: on Linux the loopback host prints through CUPS (cups-printer
 * in src/app), to the printer the station chose, on its paper, without any dialog. In the Electron shell the main
 * process prints instead (src/main/receipt-print-electron.ts), and the core has no port.
 */
import type { ReceiptPaper, SystemPrintersView } from '../../shared/printing';

export interface SystemPrintJob {
  /** a receiptHtml document (or the test page) */
  html: string;
  paper: ReceiptPaper;
  /** null: the system's default printer */
  printer: string | null;
  copies: number;
  /** the job's name in the print queue */
  title: string;
}

export interface SystemPrinterPort {
  list(): Promise<SystemPrintersView>;
  /** Resolves once the print system accepted the job; rejects with a message for IT. */
  print(job: SystemPrintJob): Promise<{ printer: string; copies: number }>;
}

/** `lpstat -e`: one destination a line. */
export function parseLpstatDestinations(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** `lpstat -d` in the C locale: "system default destination: NAME" or "no system default destination". */
export function parseLpstatDefault(stdout: string): string | null {
  const m = /^system default destination:\s*(\S+)\s*$/m.exec(stdout);
  return m?.[1] ?? null;
}
