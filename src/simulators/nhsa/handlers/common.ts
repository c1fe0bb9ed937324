/**
 * What every handler shares: the request it sees (authenticated and decrypted), the answer it gives, the centre's
 * state, and the input checks a real centre makes before touching its ledger — answered with the short Chinese
 * messages centres use.
 */
import { z } from 'zod';
import { beijing } from '../clock';
import type { Ledger } from '../ledger';
import { formatAmount, parseAmount } from '../money';
import type { Policy } from '../policy';
import { findByPsnNo, type InsuredPerson } from '../population';
import type { CareRecords } from '../records';

export interface CentreRequest {
  infno: string;
  msgid: string;
  fixmedinsCode: string;
  opter: string;
  signNo: string;
  /** The envelope's insured region (insuplc_admdvs): the centre checks it against the person. */
  insuplcAdmdvs: string;
  now: Date;
  input: Record<string, unknown>;
}

/** An answer: an output, a file (9102, by its file_qury_no in the ledger), or a business error. */
export type Answer =
  { infcode: 0; output: unknown; warnMsg?: string } | { infcode: 0; file: { file_qury_no: string } } | { infcode: -1; errMsg: string };

export interface CentreState {
  ledger: Ledger;
  records: CareRecords;
  region: string;
  policy: Policy;
  /** Transactions 2601 may reverse. */
  reversible: ReadonlySet<string>;
}

export type Handler = (req: CentreRequest, state: CentreState) => Answer;

export const fail = (errMsg: string): Answer => ({ infcode: -1, errMsg });
export const ok = (output: unknown, warnMsg?: string): Answer => (warnMsg ? { infcode: 0, output, warnMsg } : { infcode: 0, output });

export const UNKNOWN_PERSON = '未查询到人员参保信息';
export const WRONG_INSURED_REGION = '参保地医保区划与人员参保信息不符';

// ---- reading the input with the centre's own schemas --------------------------------------------------------

export type Parsed<T> = { ok: true; data: T } | { ok: false; answer: Answer };

/** Validates with the centre's schema; the error names the fields, as centres do ("data.psn_no"). */
export function parse<T extends z.ZodType>(schema: T, input: unknown): Parsed<z.output<T>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const fields = [...new Set(result.error.issues.map((issue) => issue.path.join('.') || '(input)'))].join(',');
  return { ok: false, answer: fail(`输入参数校验失败：${fields}`) };
}

const scalar = z.union([z.string(), z.number()]).transform(String);
/** A present, non-empty text (a code the centre looks up). */
export const code = scalar.pipe(z.string().trim().min(1));
/** Text that may be empty or absent. */
export const optional = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v == null ? '' : String(v)));
export const dateTime = z.string().regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
export const date = z.string().regex(/^\d{4}-\d\d-\d\d$/);
/** Yuan as sent (text or number) -> fen. */
export const amount = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const fen = parseAmount(value);
  if (fen === undefined) {
    ctx.issues.push({ code: 'custom', message: 'amount', input: value });
    return z.NEVER;
  }
  return fen;
});

/** Amounts go out as JSON numbers, as the platform's Java services serialise BigDecimal. */
export function wireAmount(fen: number): number {
  return Number(formatAmount(fen));
}

// ---- people ---------------------------------------------------------------------------------------------

/**
 * The person a psn_no names, provided the envelope carries their insured region — the centre routes a
 * cross-region patient by it, so a wrong or missing one is refused.
 */
export function personFor(req: CentreRequest, psnNo: string): InsuredPerson | Answer {
  const person = findByPsnNo(psnNo);
  if (!person) return fail(UNKNOWN_PERSON);
  if (!person.insurances.some((i) => i.insuplcAdmdvs === req.insuplcAdmdvs)) return fail(WRONG_INSURED_REGION);
  return person;
}

export function isAnswer(value: unknown): value is Answer {
  return typeof value === 'object' && value !== null && 'infcode' in value;
}

/** "yyyy-MM-dd HH:mm:ss" of the request, Beijing time. */
export function displayTime(req: CentreRequest): string {
  return beijing(req.now).display;
}

/** A serial-based identifier: region (6) + prefix digit + 13-digit serial — unique per counter. */
export function newId(state: CentreState, counter: string, prefix: string): string {
  return `${state.region}${prefix}${String(state.ledger.nextSerial(counter)).padStart(13, '0')}`;
}
