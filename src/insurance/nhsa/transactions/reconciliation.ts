/**
 * Reconciliation with the centre (对账): 3201 compares the station's totals for a period, insurance type and
 * clearing type; when they differ, 3202 compares settlement by settlement.
 *
 * 3202 takes a file (InsQgRecService, S-117-John/nhis-web): a zip holding one UTF-8 .txt whose lines are
 *   setl_id \t mdtrt_id \t psn_no \t medfee_sumamt \t fund_pay_sumamt \t acct_pay \t refd_setl_flag
 * (refd_setl_flag 1 for a refund / cancel line, with negative amounts), uploaded with 9101. The centre answers
 * with a result file to fetch with 9102, whose lines that client reads as
 *   psn_no, mdtrt_id, setl_id, msgid, stmt_rslt, refd_setl_flag, memo, medfee_sumamt, fund_pay_sumamt, acct_pay
 * ("null" for what one side lacks).
 */
import { z } from 'zod';
import type { Fen } from '../../../shared/money';
import { yuanToFen } from '../../../shared/money';
import type { NhsaClient } from '../client';
import { formatTabLines, parseCatalogueLines, type TabField } from '../files/tab-lines';
import { readZip, writeZip } from '../files/zip';
import type { CallContext, NhsaOutcome } from '../outcome';
import { dateInput, fenInput, flagInput, requiredInputText, requiredText, text, toYuan } from '../wire';
import { defineTransaction } from './define';
import { downloadFile, FileRef, uploadFile } from './files';
import { readFile, rm } from 'node:fs/promises';

/** 11 outpatient, 21 inpatient, 41 pharmacy, 99 other. */
const clrType = z.enum(['11', '21', '41', '99']);

const PeriodInput = {
  /** The clearing institution (结算经办机构): the insured region's code for local patients. */
  setl_optins: z.string().regex(/^\d{6}$/),
  stmt_begndate: dateInput,
  stmt_enddate: dateInput,
  clr_type: clrType,
  /** 1 (default): refunds and cancels included, so a cancelled settlement nets to zero; 0: forward ones only. */
  refd_setl_flag: flagInput.default('1'),
};

// ---- 3201 对总账 ----------------------------------------------------------------------------------------

const TotalsInput = z.object({
  ...PeriodInput,
  insutype: requiredInputText(6),
  medfee_sumamt: fenInput,
  fund_pay_sumamt: fenInput,
  acct_pay: fenInput,
  fixmedins_setl_cnt: z.number().int(),
});

const TotalsOutput = z
  .object({ stmtinfo: z.object({ setl_optins: text, stmt_rslt: requiredText, stmt_rslt_dscr: text }) })
  .transform(({ stmtinfo }) => ({ ...stmtinfo, balanced: stmtinfo.stmt_rslt === '0' }));

export const reconcileTotals = defineTransaction({
  infno: '3201',
  input: TotalsInput,
  toWire: (input) => ({
    data: {
      ...input,
      medfee_sumamt: toYuan(input.medfee_sumamt),
      fund_pay_sumamt: toYuan(input.fund_pay_sumamt),
      acct_pay: toYuan(input.acct_pay),
    },
  }),
  output: TotalsOutput,
});

// ---- the detail file ----------------------------------------------------------------------------------------

export interface DetailLine {
  setl_id: string;
  mdtrt_id: string;
  psn_no: string;
  medfee_sumamt: Fen;
  fund_pay_sumamt: Fen;
  acct_pay: Fen;
  /** 1 for a refund / cancel entry. */
  refd_setl_flag: '0' | '1';
}

/** The zip 3202 expects: one `${name}.txt` with a line per settlement entry. */
export async function buildDetailFile(lines: readonly DetailLine[], name: string, modified?: Date): Promise<Uint8Array> {
  if (lines.length === 0) throw new Error('a detail file needs at least one settlement');
  const text = formatTabLines(
    lines.map((l) => [
      l.setl_id,
      l.mdtrt_id,
      l.psn_no,
      toYuan(l.medfee_sumamt),
      toYuan(l.fund_pay_sumamt),
      toYuan(l.acct_pay),
      l.refd_setl_flag,
    ]),
  );
  return writeZip([{ name: `${name}.txt`, data: new TextEncoder().encode(text) }], modified ? { modified } : {});
}

// ---- 3202 对明细账 --------------------------------------------------------------------------------------

const DetailsInput = z.object({
  ...PeriodInput,
  /** From the 9101 upload of the detail file. */
  file_qury_no: requiredInputText(100),
  medfee_sumamt: fenInput,
  fund_pay_sumamt: fenInput,
  cash_payamt: fenInput,
  fixmedins_setl_cnt: z.number().int(),
});

export const reconcileDetails = defineTransaction({
  infno: '3202',
  input: DetailsInput,
  toWire: (input) => ({
    data: {
      ...input,
      medfee_sumamt: toYuan(input.medfee_sumamt),
      fund_pay_sumamt: toYuan(input.fund_pay_sumamt),
      cash_payamt: toYuan(input.cash_payamt),
    },
  }),
  output: z.object({ fileinfo: FileRef }).transform(({ fileinfo }) => fileinfo),
});

/** One line of the centre's answer: how it sees a settlement the two sides may disagree on. */
export interface DetailResult {
  psn_no: string | null;
  mdtrt_id: string | null;
  setl_id: string | null;
  /** The msgid the centre booked the settlement under: what the station's journal knows it by. */
  msgid: string | null;
  stmt_rslt: string | null;
  refd_setl_flag: string | null;
  memo: string | null;
  medfee_sumamt: Fen | null;
  fund_pay_sumamt: Fen | null;
  acct_pay: Fen | null;
}

export class DetailResultFormatError extends Error {}

const amountOrNull = (field: TabField, line: number): Fen | null => {
  if (field === null || field === '') return null;
  try {
    return yuanToFen(field);
  } catch {
    throw new DetailResultFormatError(`line ${line}: ${JSON.stringify(field)} is not an amount`);
  }
};

/** Reads the result zip (its text entries). Throws DetailResultFormatError on a line that is not a result. */
export async function parseDetailResult(zip: Uint8Array): Promise<DetailResult[]> {
  const rows: DetailResult[] = [];
  for (const entry of await readZip(zip)) {
    for await (const { line, fields } of parseCatalogueLines([entry.data])) {
      if (fields.length < 10) throw new DetailResultFormatError(`${entry.name} line ${line}: ${fields.length} fields, expected 10`);
      const [psn_no, mdtrt_id, setl_id, msgid, stmt_rslt, refd_setl_flag, memo] = fields as [
        TabField,
        TabField,
        TabField,
        TabField,
        TabField,
        TabField,
        TabField,
      ];
      rows.push({
        psn_no,
        mdtrt_id,
        setl_id,
        msgid,
        stmt_rslt,
        refd_setl_flag,
        memo,
        medfee_sumamt: amountOrNull(fields[7] ?? null, line),
        fund_pay_sumamt: amountOrNull(fields[8] ?? null, line),
        acct_pay: amountOrNull(fields[9] ?? null, line),
      });
    }
  }
  return rows;
}

export interface DetailReconciliation {
  uploaded: FileRef;
  result: FileRef;
  rows: DetailResult[];
}

/**
 * The whole 3202 round: build the detail file, 9101 upload, 3202, 9102 download of the result, parse. Returns the
 * first outcome that is not ok. A result file that cannot be read is 'unknown' (reason 'unparsable').
 */
export async function reconcileDetailsWithFile(
  client: NhsaClient,
  ctx: CallContext,
  input: Omit<z.input<typeof DetailsInput>, 'file_qury_no'> & { lines: readonly DetailLine[]; fileName: string },
  workDir: string,
): Promise<NhsaOutcome<DetailReconciliation>> {
  const { lines, fileName, ...totals } = input;
  const uploaded = await uploadFile(client, ctx, { filename: `${fileName}.zip`, content: await buildDetailFile(lines, fileName) });
  if (uploaded.kind !== 'ok') return uploaded;
  const answered = await reconcileDetails(client, ctx, { ...totals, file_qury_no: uploaded.output.file_qury_no });
  if (answered.kind !== 'ok') return answered;
  const resultPath = `${workDir}/${fileName}-result.zip`;
  const downloaded = await downloadFile(
    client,
    ctx,
    { file_qury_no: answered.output.file_qury_no, filename: answered.output.filename || 'result.zip' },
    resultPath,
  );
  if (downloaded.kind !== 'ok') return downloaded;
  try {
    const rows = await parseDetailResult(await readFile(resultPath));
    return { ...answered, output: { uploaded: uploaded.output, result: answered.output, rows } };
  } catch (error) {
    return { kind: 'unknown', reason: 'unparsable', detail: `3202 result file: ${(error as Error).message}`, msgid: downloaded.msgid };
  } finally {
    await rm(resultPath, { force: true });
  }
}

export type TotalsInput = z.input<typeof TotalsInput>;
export type TotalsResult = z.output<typeof TotalsOutput>;
export type DetailsInput = z.input<typeof DetailsInput>;
