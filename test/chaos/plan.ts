/** What the chaos parent and its station child agree on, written as JSON in the data dir. */
export interface ChaosSession {
  idNo: string;
  hisOrderNo: string;
  /** The patient's wallet: shown as a payment code, or used to scan the QR; a poor wallet makes the payment fail. */
  authCode: string;
  /**
   * How the self-pay share is collected: the code on the scan box, a QR on the screen (HX-22), cash at the window, or a
   * bank card on the window's POS terminal (a real pty; the parent runs the terminal emulator and its ledger).
   */
  pay: 'code' | 'qr' | 'cash' | 'card';
  /** The patient pays everything as self-pay (HX-20): nothing goes to the centre. */
  selfPay: boolean;
  /** Once completed, the bill is refunded (退费, issue 13): HIS application → 2208 … → the money back → HIS confirms. */
  refund: boolean;
  /** The refund takes back the first line only (部分退费): the order has two lines, the rest stays completed. */
  refundLines?: boolean;
}

export interface ChaosPlan {
  operator: { login: string; password: string };
  /** The payment platform's control endpoint, where the "patient" pays a QR. */
  payControlUrl: string;
  sessions: ChaosSession[];
}

export const PLAN_FILE = 'chaos-plan.json';
export const PROGRESS_FILE = 'chaos-progress.json';
