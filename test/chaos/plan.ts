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
  /** The cashier cancels the settled order before it is paid (HX-28): the insurance part is undone, the order open. */
  cancel?: boolean;
}

/**
 * An inpatient stay (issue 15): the parent's ward admits the patient at HIS, charges the days, takes two wallet
 * deposits and orders the discharge; the station admits it at the centre (2401), uploads the fee lines in the
 * background (2301), discharges it (2402), pre-settles (2303) and settles (2304), and pays the surplus back to the
 * deposits' wallets. One patient's stays follow one another (HIS keeps one bed per patient).
 */
export interface ChaosStay {
  /** The plan's own name for the stay: its HIS 住院号 is known only once the ward admitted it (STAYS_FILE). */
  key: string;
  idNo: string;
  patientId: string;
  wardCode: string;
  /** The discharge settlement undone once at the window (出院结算撤销) before the surplus goes back, then settled again. */
  undo?: boolean;
}

export interface ChaosPlan {
  operator: { login: string; password: string };
  /** The payment platform's control endpoint, where the "patient" pays a QR. */
  payControlUrl: string;
  sessions: ChaosSession[];
  stays: ChaosStay[];
}

export const PLAN_FILE = 'chaos-plan.json';
export const PROGRESS_FILE = 'chaos-progress.json';
/** The ward's admissions so far, written by the parent (whole, by rename): stay key -> HIS 住院号. */
export const STAYS_FILE = 'chaos-stays.json';
/** The stays whose planned undo the station answered (the child's own record across its kills): keys. */
export const UNDONE_FILE = 'chaos-stays-undone.json';
