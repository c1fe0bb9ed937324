/**
 * Files at the centre: 9101 stores what an institution uploads, 9102 hands a stored file back (as bytes, not
 * JSON), the catalogue downloads 1301 / 1305 build a file of everything newer than the version the station holds,
 * and 1312 / 1318 / 1319 page through the catalogue's charge levels, price limits and pre-self-pay ratios.
 */
import { z } from 'zod';
import { beijing } from '../clock';
import { CATALOGUE, CATALOGUE_FILES, catalogueRow, type CatalogueItem } from '../catalogue';
import { parseDecimal } from '../money';
import { zipFiles } from '../zip';
import {
  code,
  dateTime,
  fail,
  newId,
  ok,
  optional,
  parse,
  type Answer,
  type CentreRequest,
  type CentreState,
  type Handler,
} from './common';

/** How long the centre keeps a file for download. */
const FILE_LIFETIME_MS = 24 * 3_600_000;
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export const NO_SUCH_FILE = '文件不存在或已过期';

/** Stores a file; '' as owner lets any institution fetch it (catalogues). */
export function storeFile(state: CentreState, req: CentreRequest, owner: string, filename: string, content: Buffer) {
  const file_qury_no = newId(state, 'file_qury_no', '9');
  const expiresAt = req.now.getTime() + FILE_LIFETIME_MS;
  state.ledger.storeFile({ file_qury_no, owner, filename, content, expires_at: expiresAt });
  return { file_qury_no, filename, dld_endtime: beijing(new Date(expiresAt)).display };
}

const Upload = z.object({
  fsUploadIn: z.object({
    in: z.array(z.number().int().min(0).max(255)).min(1).max(MAX_UPLOAD_BYTES),
    filename: z.string().regex(/^[^/\\]{1,100}$/),
    fixmedins_code: code,
  }),
});

const upload: Handler = (req, state) => {
  const parsed = parse(Upload, req.input);
  if (!parsed.ok) return parsed.answer;
  const { fsUploadIn } = parsed.data;
  if (fsUploadIn.fixmedins_code !== req.fixmedinsCode) return fail('医药机构编号与报文不符');
  const stored = storeFile(state, req, req.fixmedinsCode, fsUploadIn.filename, Buffer.from(fsUploadIn.in));
  return ok({ ...stored, fixmedins_code: req.fixmedinsCode });
};

/** A stored file this institution may read, or why not. */
export function readableFile(state: CentreState, req: CentreRequest, fileQuryNo: string) {
  const file = state.ledger.findFile(fileQuryNo);
  if (!file || file.expires_at <= req.now.getTime()) return undefined;
  if (file.owner !== '' && file.owner !== req.fixmedinsCode) return undefined;
  return file;
}

const Download = z.object({ fsDownloadIn: z.object({ file_qury_no: code, filename: code, fixmedins_code: code }) });

const download: Handler = (req, state): Answer => {
  const parsed = parse(Download, req.input);
  if (!parsed.ok) return parsed.answer;
  const { file_qury_no, filename } = parsed.data.fsDownloadIn;
  const file = readableFile(state, req, file_qury_no);
  if (!file) return fail(NO_SUCH_FILE);
  if (file.filename !== filename) return fail('文件名与文件查询号不符');
  return { infcode: 0, file: { file_qury_no } };
};

// ---- catalogue files -------------------------------------------------------------------------------------

const CatalogueRequest = z.object({
  data: z.object({
    ver: z
      .union([z.string(), z.number()])
      .transform(String)
      .pipe(z.string().regex(/^\d{1,30}$/)),
  }),
});

const newerThan = (ver: string) => (item: CatalogueItem) => ver === '0' || BigInt(item.ver) > BigInt(ver);

function catalogueFile(infno: string): Handler {
  const layout = CATALOGUE_FILES[infno];
  if (!layout) throw new Error(`no catalogue file ${infno}`);
  return (req, state) => {
    const parsed = parse(CatalogueRequest, req.input);
    if (!parsed.ok) return parsed.answer;
    const { ver } = parsed.data.data;
    const items = CATALOGUE.filter((item) => item.kind === layout.kind);
    const rows = items.flatMap((item, index) => (newerThan(ver)(item) ? [catalogueRow(infno, item, index)] : []));
    const text = rows.map((row) => row.map((field) => field ?? 'null').join('\t')).join('\n');
    const newest = items.map((item) => item.ver).reduce((a, b) => (BigInt(a) > BigInt(b) ? a : b), ver);
    const name = `${infno}_${newest}`;
    const zip = zipFiles([{ name: `${name}.txt`, content: Buffer.from(text, 'utf8') }], req.now);
    return ok(storeFile(state, req, '', `${name}.zip`, zip));
  };
}

// ---- paged catalogue queries -------------------------------------------------------------------------------

const PageRequest = z.object({
  data: z.object({
    updt_time: dateTime.or(z.literal('')).default(''),
    page_num: z.union([z.number(), z.string()]).transform(Number).pipe(z.number().int().min(1)),
    page_size: z.union([z.number(), z.string()]).transform(Number).pipe(z.number().int().min(1).max(1000)),
    hilist_code: optional,
  }),
});

/** A version like 20260615001 dates its items 2026-06-15 00:00:00. */
const updatedAt = (item: CatalogueItem) => `${item.ver.slice(0, 4)}-${item.ver.slice(4, 6)}-${item.ver.slice(6, 8)} 00:00:00`;

function pagedQuery(select: (item: CatalogueItem, state: CentreState) => Record<string, unknown> | undefined): Handler {
  return (req, state) => {
    const parsed = parse(PageRequest, req.input);
    if (!parsed.ok) return parsed.answer;
    const { updt_time, page_num, page_size, hilist_code } = parsed.data.data;
    const rows = CATALOGUE.filter((item) => (!hilist_code || item.med_list_codg === hilist_code) && updatedAt(item) >= updt_time).flatMap(
      (item) => {
        const row = select(item, state);
        return row ? [{ ...row, vali_flag: '1', rid: `${item.ver}${item.med_list_codg}`, updt_time: updatedAt(item) }] : [];
      },
    );
    const pages = Math.max(1, Math.ceil(rows.length / page_size));
    return ok({
      data: rows.slice((page_num - 1) * page_size, page_num * page_size),
      recordCounts: rows.length,
      pages,
      pageNum: page_num,
      pageSize: page_size,
      firstPage: page_num === 1,
      lastPage: page_num >= pages,
    });
  };
}

const validity = (item: CatalogueItem, state: CentreState) => ({
  insu_admdvs: state.region,
  begndate: updatedAt(item),
  enddate: '',
});

const hilist = pagedQuery((item, state) => ({
  hilist_code: item.med_list_codg,
  hilist_name: item.name,
  ...validity(item, state),
  med_chrgitm_type: item.med_chrgitm_type,
  chrgitm_lv: item.chrgitm_lv,
  lmt_used_flag: '0',
  list_type: item.kind === 'drug' ? '101' : '201',
}));

const priceLimits = pagedQuery((item, state) =>
  item.pric_uplmt === null
    ? undefined
    : {
        hilist_code: item.med_list_codg,
        hilist_lmtpric_type: '1',
        overlmt_dspo_way: '1',
        ...validity(item, state),
        hilist_pric_uplmt_amt: Number(item.pric_uplmt),
      },
);

const selfpayRatios = pagedQuery((item, state) => {
  if (item.chrgitm_lv !== '02') return undefined;
  const ratio = parseDecimal(state.policy.classBSelfpayRatio[item.kind]);
  return {
    hilist_code: item.med_list_codg,
    selfpay_prop_psn_type: '1',
    selfpay_prop_type: '1',
    ...validity(item, state),
    selfpay_prop: ratio ? Number(state.policy.classBSelfpayRatio[item.kind]) : 0,
  };
});

export const FILE_HANDLERS: Record<string, Handler> = {
  '9101': upload,
  '9102': download,
  '1301': catalogueFile('1301'),
  '1305': catalogueFile('1305'),
  '1312': hilist,
  '1318': priceLimits,
  '1319': selfpayRatios,
};
