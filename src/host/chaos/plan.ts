/** What the chaos parent and its station child agree on, written as JSON in the data dir. */
export interface ChaosSession {
  idNo: string;
  hisOrderNo: string;
  /** The payment code the patient shows; a poor wallet makes the payment fail (then the cashier cancels, 2208). */
  authCode: string;
}

export interface ChaosPlan {
  operator: { login: string; password: string };
  sessions: ChaosSession[];
}

export const PLAN_FILE = 'chaos-plan.json';
export const PROGRESS_FILE = 'chaos-progress.json';
