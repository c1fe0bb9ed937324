/** What the service chaos parent and its service child agree on, written as JSON in the data dir. */
export interface ServiceChaosPlan {
  /** The nurse who admits the ward's stays at the centre (2401). */
  operator: { login: string; password: string };
}

export const SERVICE_PLAN_FILE = 'service-chaos-plan.json';
/** The ward's admissions so far, written by the parent (whole, by rename): 住院号 -> the patient's id number. */
export const SERVICE_STAYS_FILE = 'service-chaos-stays.json';
