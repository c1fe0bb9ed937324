/**
 * Monthly cross-region clearing (异地清分, docs ../shared/domain/cross-region.md §7): 3260 fetches the month's
 * clearing detail in pages of 100 (`startrow` 1, 101, 201 ...; the last page has fewer), 3261 confirms it row by
 * row (cnfm_flag 1 纳入 / 0 不纳入), 3262 rolls a confirmation back by the 3261's inf_refmsgid, or "0" for every
 * confirmation of the month. The centre accepts them from the 5th to the 8th of the following month.
 */
import { z } from 'zod';
import type { Fen } from '../../../shared/money';
import type { NhsaClient } from '../client';
import type { CallContext, NhsaOutcome } from '../outcome';
import { fenInput, list, requiredInputText, requiredText, text, toYuan, yuanAsFen } from '../wire';
import { defineTransaction } from './define';

export const CLEARING_PAGE_ROWS = 100;

const MonthInput = {
  trt_year: z.string().regex(/^\d{4}$/),
  /** "MM". */
  trt_month: z.string().regex(/^(0[1-9]|1[0-2])$/),
};

const ClearingRow = z.object({
  seqno: z.coerce.number().int(),
  mdtrtarea: text,
  medins_no: text,
  certno: text,
  mdtrt_id: requiredText,
  mdtrt_setl_time: text,
  /** The centre's settlement id (the station's setl_id). */
  setl_sn: requiredText,
  fulamt_advpay_flag: text,
  medfee_sumamt: yuanAsFen,
  optins_pay_sumamt: yuanAsFen,
});
export type ClearingRow = z.output<typeof ClearingRow>;

/** Centres name the rows `data` or `list`: both are read. */
const FetchOutput = z
  .object({ data: list(ClearingRow).optional(), list: list(ClearingRow).optional() })
  .transform((output) => ({ rows: output.data ?? output.list ?? [] }));

export const fetchClearingPage = defineTransaction({
  infno: '3260',
  input: z.object({ ...MonthInput, startrow: z.number().int().min(1) }),
  toWire: (input) => ({ data: input }),
  output: FetchOutput,
});

/** Every row of the month, page by page until a short page. */
export async function fetchClearingDetail(
  client: NhsaClient,
  ctx: CallContext,
  month: { trt_year: string; trt_month: string },
): Promise<NhsaOutcome<{ rows: ClearingRow[] }>> {
  const rows: ClearingRow[] = [];
  for (let startrow = 1; ; startrow += CLEARING_PAGE_ROWS) {
    const page = await fetchClearingPage(client, ctx, { ...month, startrow });
    if (page.kind !== 'ok') return page;
    rows.push(...page.output.rows.filter((row) => row.mdtrt_id !== ''));
    if (page.output.rows.length < CLEARING_PAGE_ROWS) return { ...page, output: { rows } };
  }
}

export interface ConfirmRow {
  certno: string;
  mdtrt_id: string;
  mdtrt_setl_time: string;
  setl_sn: string;
  medfee_sumamt: Fen;
  optins_pay_sumamt: Fen;
  cnfm_flag: '0' | '1';
}

const ConfirmInput = z.object({
  ...MonthInput,
  totalrow: z.number().int().min(0),
  detail: z.array(
    z.object({
      certno: z.string(),
      mdtrt_id: requiredInputText(30),
      mdtrt_setl_time: z.string(),
      setl_sn: requiredInputText(30),
      medfee_sumamt: fenInput,
      optins_pay_sumamt: fenInput,
      cnfm_flag: z.enum(['0', '1']),
    }),
  ),
});

export const confirmClearing = defineTransaction({
  infno: '3261',
  input: ConfirmInput,
  toWire: ({ detail, ...data }) => ({
    data,
    detail: detail.map((row) => ({
      ...row,
      medfee_sumamt: toYuan(row.medfee_sumamt),
      optins_pay_sumamt: toYuan(row.optins_pay_sumamt),
    })),
  }),
  // The output is the centre's own summary (not national); what counts is infcode 0 and the inf_refmsgid.
  output: z.unknown().transform((): undefined => undefined),
});

export const rollbackClearing = defineTransaction({
  infno: '3262',
  /** otransid: the 3261's inf_refmsgid, or "0" for every confirmation of the month. */
  input: z.object({ ...MonthInput, otransid: requiredInputText(30) }),
  toWire: (input) => ({ data: input }),
  output: z.unknown().transform((): undefined => undefined),
});
