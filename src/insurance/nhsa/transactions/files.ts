/**
 * File exchange: 9101 upload, 9102 download, and the catalogues (13xx).
 *
 * A catalogue download is two calls: 13xx with the highest version held (`ver`, "0" for everything) answers a
 * file_qury_no and filename; 9102 then streams the zip to disk. The file is written as `<name>.part` and renamed
 * only once it is a readable zip, so a half-written file never passes for a complete one. The records come out
 * of `openCatalogueRecords` (streamed, resumable by line); storing them in SQLite is the station's part and comes
 * with the catalogue issue.
 *
 * 1312 / 1318 / 1319 are paged queries rather than files: the item list with charge levels, the price limits and
 * the pre-self-pay ratios. Their wire names follow fengzaiqishi11/hsa-his (DirectoryInfoReqUtil,
 * PriceLimitInfoReqUtil) and the openhis-itaii Catalogue1312Output; the paging envelope is inferred.
 */
import { rename, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { NhsaClient } from '../client';
import { fileZipSource, ZipArchive } from '../files/zip';
import { parseCatalogueLines, type ParseOptions, type TabRecord } from '../files/tab-lines';
import type { CallContext, NhsaOutcome } from '../outcome';
import {
  dateTimeInput,
  decimalText,
  list,
  numeric,
  optionalDecimalText,
  optionalText,
  requiredInputText,
  requiredText,
  text,
} from '../wire';
import { defineTransaction } from './define';

/** Where a file waits at the centre: what 9101, 13xx and 3202 answer and 9102 asks for. */
export const FileRef = z.object({
  file_qury_no: requiredText,
  filename: text,
  /** Until when the centre keeps it, "yyyy-MM-dd HH:mm:ss". */
  dld_endtime: text,
});
export type FileRef = z.output<typeof FileRef>;

// ---- 9101 文件上传 --------------------------------------------------------------------------------------

const UploadInput = z.object({
  filename: z.string().regex(/^[^/\\]{1,100}$/, 'a plain file name'),
  content: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'bytes').refine((bytes) => bytes.length > 0, 'empty file'),
});

/** The bytes travel as a JSON array of numbers, as the Java clients serialise byte[] (protocol-research §1.6). */
export const uploadFile = defineTransaction({
  infno: '9101',
  input: UploadInput,
  toWire: ({ filename, content }, { institutionCode }) => ({
    fsUploadIn: { in: Array.from(content), filename, fixmedins_code: institutionCode },
  }),
  output: FileRef,
});

// ---- 9102 文件下载 --------------------------------------------------------------------------------------

const DownloadInput = z.object({
  file_qury_no: requiredInputText(100),
  filename: requiredInputText(200),
  /** Some centres expect "plc" here for catalogue files; by default the institution's own code. */
  fixmedins_code: z.string().max(30).optional(),
});

export interface DownloadedZip {
  path: string;
  bytes: number;
}

/**
 * Streams the file to `destination` (via `destination.part`). ok = a complete, readable zip is on disk; a file
 * that is not one is 'unknown' with reason 'unparsable' (a cut-off download), and nothing is left behind.
 */
export async function downloadFile(
  client: NhsaClient,
  ctx: CallContext,
  input: z.input<typeof DownloadInput>,
  destination: string,
): Promise<NhsaOutcome<DownloadedZip>> {
  const data = DownloadInput.parse(input);
  const partial = `${destination}.part`;
  const out = createWriteStream(partial);
  const opened = new Promise<void>((resolve, reject) => out.once('open', () => resolve()).once('error', reject));
  await opened;
  const write = (chunk: Uint8Array) =>
    new Promise<void>((resolve, reject) => out.write(chunk, (error) => (error ? reject(error) : resolve())));
  const closed = () => new Promise<void>((resolve) => out.end(() => resolve()));

  let outcome: NhsaOutcome<{ bytes: number }>;
  try {
    outcome = await client.callForFile(
      '9102',
      {
        fsDownloadIn: {
          file_qury_no: data.file_qury_no,
          filename: data.filename,
          fixmedins_code: data.fixmedins_code ?? client.institution.code,
        },
      },
      ctx,
      write,
    );
  } catch (error) {
    await closed();
    await rm(partial, { force: true });
    throw error;
  }
  await closed();
  if (outcome.kind !== 'ok') {
    await rm(partial, { force: true });
    return outcome;
  }
  const problem = await zipProblem(partial);
  if (problem) {
    await rm(partial, { force: true });
    return { kind: 'unknown', reason: 'unparsable', detail: `downloaded file: ${problem}`, msgid: outcome.msgid };
  }
  await rename(partial, destination);
  return { ...outcome, output: { path: destination, bytes: outcome.output.bytes } };
}

async function zipProblem(file: string): Promise<string | undefined> {
  try {
    const archive = await ZipArchive.open(await fileZipSource(file));
    const count = archive.files.length;
    await archive.close();
    return count === 0 ? 'the zip holds no file' : undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

// ---- 13xx catalogue files -------------------------------------------------------------------------------

/** The catalogues delivered as files (the others are paged queries). */
export const FILE_CATALOGUES = [
  '1301',
  '1302',
  '1303',
  '1305',
  '1306',
  '1307',
  '1308',
  '1309',
  '1310',
  '1311',
  '1313',
  '1314',
  '1315',
  '1320',
  '1321',
] as const;
export type FileCatalogue = (typeof FILE_CATALOGUES)[number];

const CatalogueVersionInput = z.object({
  /** The highest version already held; "0" asks for the whole catalogue. */
  ver: z.string().min(1).max(50),
});

const catalogueRequests = Object.fromEntries(
  FILE_CATALOGUES.map((infno) => [
    infno,
    defineTransaction({ infno, input: CatalogueVersionInput, toWire: (data) => ({ data }), output: FileRef }),
  ]),
) as Record<FileCatalogue, ReturnType<typeof defineTransaction<typeof CatalogueVersionInput, typeof FileRef>>>;

/** 13xx: where the catalogue file (everything newer than `ver`) can be downloaded. */
export function requestCatalogueFile(
  client: NhsaClient,
  ctx: CallContext,
  infno: FileCatalogue,
  input: { ver: string },
): Promise<NhsaOutcome<FileRef>> {
  return catalogueRequests[infno](client, ctx, input);
}

export interface DownloadedCatalogue extends DownloadedZip {
  infno: FileCatalogue;
  file: FileRef;
}

/** 13xx then 9102: the catalogue's zip on disk in `directory`, named after the centre's filename. */
export async function downloadCatalogue(
  client: NhsaClient,
  ctx: CallContext,
  infno: FileCatalogue,
  input: { ver: string; fixmedinsCodeForDownload?: string },
  directory: string,
): Promise<NhsaOutcome<DownloadedCatalogue>> {
  const located = await requestCatalogueFile(client, ctx, infno, { ver: input.ver });
  if (located.kind !== 'ok') return located;
  const file = located.output;
  const name = path.basename(file.filename || `${infno}-${file.file_qury_no}.zip`);
  const downloaded = await downloadFile(
    client,
    ctx,
    {
      file_qury_no: file.file_qury_no,
      filename: file.filename || name,
      ...(input.fixmedinsCodeForDownload ? { fixmedins_code: input.fixmedinsCodeForDownload } : {}),
    },
    path.join(directory, name.endsWith('.zip') ? name : `${name}.zip`),
  );
  if (downloaded.kind !== 'ok') return downloaded;
  return { ...downloaded, output: { ...downloaded.output, infno, file } };
}

/**
 * The records of a downloaded catalogue zip (its text entries, in order), streamed from disk. With `fromLine`
 * the first lines are skipped, so an interrupted import resumes after the last record it stored.
 */
export async function* openCatalogueRecords(zipPath: string, options: ParseOptions = {}): AsyncGenerator<TabRecord & { entry: string }> {
  const archive = await ZipArchive.open(await fileZipSource(zipPath));
  try {
    for (const entry of archive.files) {
      for await (const record of parseCatalogueLines(await archive.stream(entry), options)) yield { ...record, entry: entry.name };
    }
  } finally {
    await archive.close();
  }
}

// ---- 1312 / 1318 / 1319 paged catalogue queries -----------------------------------------------------------

const PageInput = {
  /** Rows updated since this time. */
  updt_time: dateTimeInput,
  page_num: z.number().int().min(1),
  page_size: z.number().int().min(1).max(1000),
};

/** A page of rows; only `data` is certain, the counters are read when present. */
function page<T extends z.ZodType>(row: T) {
  return z.object({
    data: list(row),
    recordCounts: numeric.optional(),
    pages: numeric.optional(),
    pageNum: numeric.optional(),
    pageSize: numeric.optional(),
  });
}

const HilistRow = z.object({
  hilist_code: requiredText,
  hilist_name: text,
  insu_admdvs: text,
  begndate: text,
  enddate: text,
  med_chrgitm_type: text,
  /** 01 class A, 02 class B, 03 class C. */
  chrgitm_lv: text,
  lmt_used_flag: text,
  list_type: text,
  vali_flag: text,
  rid: text,
  updt_time: text,
});

export const queryHilist = defineTransaction({
  infno: '1312',
  input: z.object({ ...PageInput, hilist_code: optionalText(50), insu_admdvs: optionalText(6), list_type: optionalText(6) }),
  toWire: ({ updt_time, page_num, page_size, ...filters }) => ({
    data: { query_date: '', ...filters, vali_flag: '1', updt_time, page_num, page_size },
  }),
  output: page(HilistRow),
});

const PriceLimitRow = z.object({
  hilist_code: requiredText,
  hilist_lmtpric_type: text,
  overlmt_dspo_way: text,
  insu_admdvs: text,
  begndate: text,
  enddate: text,
  /** Unit price limit (yuan, may carry more than two decimals). */
  hilist_pric_uplmt_amt: decimalText,
  vali_flag: text,
  rid: text,
  updt_time: text,
});

export const queryPriceLimits = defineTransaction({
  infno: '1318',
  input: z.object({ ...PageInput, hilist_code: optionalText(50), insu_admdvs: optionalText(6) }),
  toWire: ({ updt_time, page_num, page_size, ...filters }) => ({
    data: { query_date: '', ...filters, vali_flag: '1', updt_time, page_num, page_size },
  }),
  output: page(PriceLimitRow),
});

const SelfpayRatioRow = z.object({
  hilist_code: requiredText,
  selfpay_prop_psn_type: text,
  selfpay_prop_type: text,
  insu_admdvs: text,
  begndate: text,
  enddate: text,
  selfpay_prop: optionalDecimalText,
  vali_flag: text,
  rid: text,
  updt_time: text,
});

export const querySelfpayRatios = defineTransaction({
  infno: '1319',
  input: z.object({ ...PageInput, hilist_code: optionalText(50), insu_admdvs: optionalText(6) }),
  toWire: ({ updt_time, page_num, page_size, ...filters }) => ({
    data: { query_date: '', ...filters, vali_flag: '1', updt_time, page_num, page_size },
  }),
  output: page(SelfpayRatioRow),
});

export type HilistRow = z.output<typeof HilistRow>;
export type PriceLimitRow = z.output<typeof PriceLimitRow>;
export type SelfpayRatioRow = z.output<typeof SelfpayRatioRow>;
