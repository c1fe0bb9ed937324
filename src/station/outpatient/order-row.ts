/**
 * An outpatient order's row as SQLite holds it, and the fields sealed in it (migration 011): the doctor and
 * department, each line's item, the balance and the remotes' own words. Rows written before 011 hold clear text
 * until the start seals them (seal-legacy-rows.ts); reading accepts both.
 */
import type { OrderState, OrderView, SettleMode } from '../../shared/domain';
import type { OrderNoteCode, OrderReason, OrderReasonCode } from '../../shared/order-reasons';
import { isSealed, type FieldCipher } from '../security';

/** Sealed as one value per order: who prescribed, in which department (a department tells the illness). */
export interface Care {
  doctorName: string;
  deptCode: string;
  deptName: string;
}
/** Sealed as one value per line: the item (its name and codes tell the illness). */
export interface Item {
  hisItemCode: string;
  medListCodg: string;
  name: string;
  spec: string;
  unit: string;
}

export interface OrderRow {
  id: string;
  his_order_no: string;
  identification_id: string;
  psn_no: string;
  insutype: string;
  insuplc_admdvs: string;
  cert_sealed: string;
  operator_id: string;
  doctor_name: string;
  dept_code: string;
  dept_name: string;
  state: OrderState;
  total_fen: number;
  mdtrt_id: string | null;
  chrg_bchno: string | null;
  setl_id: string | null;
  fund_fen: number | null;
  pool_fen: number | null;
  account_fen: number | null;
  cash_fen: number | null;
  deductible_fen: number | null;
  balance_after_fen: number | null;
  balance_sealed: string | null;
  care_sealed: string | null;
  pay_before: string | null;
  detail: string;
  reason_code: OrderReasonCode | null;
  reason_text: string;
  reason_note: OrderNoteCode | null;
  reason_note_text: string;
  created_at: string;
  settle_mode: SettleMode;
  his_settle_id: string | null;
  his_settlement_sealed: string | null;
  completed_at: string | null;
  push_state: OrderView['push'];
}

export class SealedFields {
  constructor(private readonly cipher: FieldCipher) {}

  /** Who prescribed, as the doctor station looks it up (a keyed digest: the name itself is sealed). */
  doctorIndex(name: string): string {
    return this.cipher.blindIndex(`doctor:${name}`);
  }

  /** A remote's own words: empty stays empty (most reasons have none), anything else is sealed. */
  text(text: string): string {
    return text ? this.cipher.seal(text) : '';
  }

  openText(text: string): string {
    return isSealed(text) ? this.cipher.open(text) : text;
  }
}

export function reasonOf(r: OrderRow, open: (text: string) => string): OrderReason | null {
  if (r.reason_code) return { code: r.reason_code, text: open(r.reason_text), note: r.reason_note, noteText: open(r.reason_note_text) };
  return r.detail ? { code: 'legacy', text: open(r.detail), note: null, noteText: '' } : null;
}
