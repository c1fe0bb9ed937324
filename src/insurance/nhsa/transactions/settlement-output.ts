/**
 * The settlement answer shared by pre-settlement, settlement and their cancels (2206/2207/2208,
 * 2303/2304/2305) and the settlement query (5203): `setlinfo` (the split) and `setldetail[]` (per fund).
 *
 * Every amount becomes integer fen. The split must add up to the fen — fund + personal account + cash (+ the part
 * the hospital bears) = total, and the personal part = account + cash. An answer that does not add up is not a
 * settlement the station can book or show: the schema fails, which makes the outcome 'unknown' (reason 'schema'),
 * never 'ok'. The fund components (hifp_pay, cvlserv_pay, ...) are not summed against fund_pay_sumamt: provinces
 * add funds of their own, and the total is what moves money.
 */
import { z } from 'zod';
import { yuanToFen, type Fen } from '../../../shared/money';
import { list, optionalDecimalText, optionalYuanAsFen, requiredText, text, yuanAsFen } from '../wire';

/** exp_content: text as sent, an object as its JSON, null / absent as "". Never an issue. */
const expContent = z
  .unknown()
  .optional()
  .transform((value): string => {
    if (value == null) return '';
    if (typeof value === 'string') return value;
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  });

/** An amount that may be absent; absent stays null so that "not sent" is not mistaken for 0.00. */
const presentYuanAsFen = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value == null || value === '' ? null : value))
  .pipe(yuanAsFen.nullable());

const SetlinfoFields = z.object({
  setl_id: text,
  mdtrt_id: requiredText,
  psn_no: requiredText,
  psn_name: text,
  psn_cert_type: text,
  certno: text,
  gend: text,
  naty: text,
  brdy: text,
  age: text,
  insutype: requiredText,
  psn_type: text,
  cvlserv_flag: text,
  setl_time: text,
  mdtrt_cert_type: text,
  med_type: text,
  clr_optins: text,
  clr_way: text,
  clr_type: text,
  /** The sender's msgid the centre booked this settlement under (Output2304Setlinfo: "存放发送方报文ID"). */
  medins_setl_id: text,
  medfee_sumamt: yuanAsFen,
  fulamt_ownpay_amt: optionalYuanAsFen,
  overlmt_selfpay: optionalYuanAsFen,
  preselfpay_amt: optionalYuanAsFen,
  inscp_scp_amt: optionalYuanAsFen,
  act_pay_dedc: optionalYuanAsFen,
  hifp_pay: optionalYuanAsFen,
  /** A ratio, not an amount. */
  pool_prop_selfpay: optionalDecimalText,
  cvlserv_pay: optionalYuanAsFen,
  hifes_pay: optionalYuanAsFen,
  hifmi_pay: optionalYuanAsFen,
  hifob_pay: optionalYuanAsFen,
  maf_pay: optionalYuanAsFen,
  oth_pay: optionalYuanAsFen,
  fund_pay_sumamt: yuanAsFen,
  psn_part_amt: presentYuanAsFen,
  acct_pay: yuanAsFen,
  psn_cash_pay: yuanAsFen,
  hosp_part_amt: optionalYuanAsFen,
  balc: optionalYuanAsFen,
  acct_mulaid_pay: optionalYuanAsFen,
  /**
   * The interface's extension field (扩展内容): a JSON text of local keys. Kept as text and read by helpers such as
   * supplementaryCumulativeDeductible; whatever a centre puts here never fails the answer (a settlement that moved
   * money must not become 'unknown' because of an extension), so an object is kept as its JSON and anything else
   * as text.
   */
  exp_content: expContent,
});

export type Setlinfo = z.output<typeof SetlinfoFields>;

/** Where the supplementary cumulative deductible (补充累计起付) sits in exp_content: yuan as decimal text. */
export const SUPPLEMENTARY_CUMULATIVE_DEDUCTIBLE_KEY = 'bcljqf';

/**
 * 补充累计起付: how much this person's in-scope costs have counted toward the annual deductible so far, this
 * settlement included — a local extension some schemes put into `exp_content` as `{"bcljqf": "123.45"}`.
 * Null when the scheme does not supply it, and also when exp_content is not JSON or the value is not a
 * well-formed, non-negative amount with at most two decimals: the slip then leaves the row out rather than
 * printing a guess. Never throws.
 */
export function supplementaryCumulativeDeductible(setlinfo: { exp_content?: string | null }): Fen | null {
  const raw = setlinfo.exp_content;
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  if (!Object.prototype.hasOwnProperty.call(parsed, SUPPLEMENTARY_CUMULATIVE_DEDUCTIBLE_KEY)) return null;
  const value = (parsed as Record<string, unknown>)[SUPPLEMENTARY_CUMULATIVE_DEDUCTIBLE_KEY];
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  try {
    const amount = yuanToFen(value);
    return amount < 0 ? null : amount;
  } catch {
    return null;
  }
}

/** The split check, as data for tests and for the station's own records. */
export function splitDiscrepancies(s: Setlinfo): string[] {
  const problems: string[] = [];
  const sum = (...amounts: Fen[]) => amounts.reduce((a, b) => a + b, 0);
  if (sum(s.fund_pay_sumamt, s.acct_pay, s.psn_cash_pay, s.hosp_part_amt) !== s.medfee_sumamt) {
    problems.push('fund_pay_sumamt + acct_pay + psn_cash_pay + hosp_part_amt != medfee_sumamt');
  }
  // psn_part_amt is optional on the wire; when it is sent it must be the account plus the cash.
  if (s.psn_part_amt !== null && s.psn_part_amt !== sum(s.acct_pay, s.psn_cash_pay)) {
    problems.push('psn_part_amt != acct_pay + psn_cash_pay');
  }
  return problems;
}

function checkedSetlinfo(requireSetlId: boolean) {
  return SetlinfoFields.superRefine((s, ctx) => {
    if (requireSetlId && s.setl_id.trim() === '') ctx.addIssue({ code: 'custom', path: ['setl_id'], message: 'missing' });
    for (const message of splitDiscrepancies(s)) ctx.addIssue({ code: 'custom', message });
  });
}

const Setldetail = z.object({
  fund_pay_type: requiredText,
  fund_pay_type_name: text,
  inscp_scp_amt: optionalYuanAsFen,
  crt_payb_lmt_amt: optionalYuanAsFen,
  fund_payamt: yuanAsFen,
  setl_proc_info: text,
});

export type Setldetail = z.output<typeof Setldetail>;

/** 2207 / 2304 / 2208 / 2305 / 5203: a booked settlement, with its setl_id. */
export const SettlementOutput = z.object({ setlinfo: checkedSetlinfo(true), setldetail: list(Setldetail) });
/** 2206 / 2303: the split as it would be; nothing booked, so no setl_id is required. */
export const PreSettlementOutput = z.object({ setlinfo: checkedSetlinfo(false), setldetail: list(Setldetail) });

export type Settlement = z.output<typeof SettlementOutput>;

/**
 * What a settlement answer (2207, 2304) must repeat of its request: a settlement id, the visit, the person, the
 * total, and the sender's msgid it was booked under (medins_setl_id, "存放发送方报文ID"). Returns the fields that
 * do not match.
 */
export function settlementEchoes(
  sent: { psn_no: string; mdtrt_id: string; medfee_sumamt: number },
  answer: Settlement,
  msgid: string,
): string[] {
  const s = answer.setlinfo;
  const wrong: string[] = [];
  if (!s.setl_id) wrong.push('setl_id (missing)');
  if (s.mdtrt_id !== sent.mdtrt_id) wrong.push('mdtrt_id');
  if (s.psn_no !== sent.psn_no) wrong.push('psn_no');
  if (s.medfee_sumamt !== sent.medfee_sumamt) wrong.push('medfee_sumamt');
  if (s.medins_setl_id !== msgid) wrong.push('medins_setl_id (msgid)');
  return wrong;
}

/** What a settlement cancel's answer (2208, 2305) must repeat: the visit and the person of the settlement it undid. */
export function cancelEchoes(sent: { psn_no: string; mdtrt_id: string }, answer: Settlement): string[] {
  const s = answer.setlinfo;
  return [...(s.mdtrt_id === sent.mdtrt_id ? [] : ['mdtrt_id']), ...(s.psn_no === sent.psn_no ? [] : ['psn_no'])];
}
