// File exchange against the simulated centre: 9101 upload, 9102 download streamed to disk (octet-stream, not
// JSON), catalogue downloads by version with resumable parsing, and the paged catalogue queries.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATALOGUE, CATALOGUE_VERSIONS, startCentreWithFreshKeys, type CentreFixture } from '../../../simulators/nhsa';
import { NhsaClient } from '../client';
import { writeZip } from '../files/zip';
import { MemoryMsgIdAllocator } from '../msgid';
import type { CallContext, NhsaOutcome } from '../outcome';
import {
  downloadCatalogue,
  downloadFile,
  openCatalogueRecords,
  queryHilist,
  queryPriceLimits,
  querySelfpayRatios,
  requestCatalogueFile,
  uploadFile,
} from './files';
import { signIn } from './sign';

const operator = { opter: 'it001', opterName: '信息科', opterType: '1' } as const;
let fx: CentreFixture;
let client: NhsaClient;
let ctx: CallContext;
let dir: string;
const clock = new Date('2026-11-22T02:15:30Z');

function ok<T>(outcome: NhsaOutcome<T>): T {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.output;
}

beforeEach(async () => {
  fx = await startCentreWithFreshKeys({ now: () => clock });
  client = new NhsaClient(fx.stationConfig(), { msgids: new MemoryMsgIdAllocator('H35020300001'), now: () => clock });
  ctx = { operator, signNo: ok(await signIn(client, { operator }, { opterNo: 'it001', mac: '', ip: '10.1.2.5' })).signNo };
  dir = mkdtempSync(path.join(tmpdir(), 'nhsa-files-'));
});
afterEach(async () => {
  await fx.centre.close();
  rmSync(dir, { recursive: true, force: true });
});

async function records(zipPath: string, fromLine?: number) {
  const out: { line: number; fields: (string | null)[] }[] = [];
  for await (const { line, fields } of openCatalogueRecords(zipPath, fromLine ? { fromLine } : {})) out.push({ line, fields });
  return out;
}

describe('9101 / 9102', () => {
  it('uploads a file and downloads the same bytes, streamed to disk', async () => {
    const content = await writeZip([{ name: '明细.txt', data: new TextEncoder().encode('a\tb\n') }]);
    const uploaded = ok(await uploadFile(client, ctx, { filename: 'upload.zip', content }));
    expect(uploaded).toMatchObject({
      filename: 'upload.zip',
      file_qury_no: expect.stringMatching(/^3502009\d{13}$/) as unknown,
      dld_endtime: '2026-11-23 10:15:30',
    });
    const target = path.join(dir, 'back.zip');
    const downloaded = ok(await downloadFile(client, ctx, { file_qury_no: uploaded.file_qury_no, filename: 'upload.zip' }, target));
    expect(downloaded).toEqual({ path: target, bytes: content.length });
    expect(new Uint8Array(readFileSync(target))).toEqual(content);
  });

  it('a refusal comes back as JSON and is rejected; a cut-off file or a lost answer is unknown, and nothing is left on disk', async () => {
    const target = path.join(dir, 'x.zip');
    expect(await downloadFile(client, ctx, { file_qury_no: 'NOSUCH', filename: 'x.zip' }, target)).toMatchObject({
      kind: 'rejected',
      errMsg: '文件不存在或已过期',
    });
    const content = await writeZip([{ name: 'a.txt', data: new Uint8Array(5000).fill(65) }], { method: 'stored' });
    const { file_qury_no } = ok(await uploadFile(client, ctx, { filename: 'a.zip', content }));
    expect(await downloadFile(client, ctx, { file_qury_no, filename: 'other.zip' }, target)).toMatchObject({
      kind: 'rejected',
      errMsg: '文件名与文件查询号不符',
    });

    fx.centre.control.inject({ infno: '9102', fault: { kind: 'malformed-json' }, times: 1 });
    expect(await downloadFile(client, ctx, { file_qury_no, filename: 'a.zip' }, target)).toMatchObject({
      kind: 'unknown',
      reason: 'unparsable',
    });
    fx.centre.control.inject({ infno: '9102', fault: { kind: 'drop-response' }, times: 1 });
    expect(await downloadFile(client, ctx, { file_qury_no, filename: 'a.zip' }, target)).toMatchObject({
      kind: 'unknown',
      reason: 'network',
    });
    expect(readdirSync(dir)).toEqual([]);
    // Read-only: simply asked again.
    expect((await downloadFile(client, ctx, { file_qury_no, filename: 'a.zip' }, target)).kind).toBe('ok');
  });

  it('another institution cannot fetch a hospital’s file', async () => {
    const { file_qury_no } = ok(
      await uploadFile(client, ctx, { filename: 'a.zip', content: await writeZip([{ name: 'a.txt', data: new Uint8Array([65]) }]) }),
    );
    const other = new NhsaClient(fx.stationConfig({ institution: { code: 'H35020300099', name: '另一医院', admdvs: '350200' } }), {
      msgids: new MemoryMsgIdAllocator('H35020300099'),
      now: () => clock,
    });
    const otherCtx = { operator, signNo: ok(await signIn(other, { operator }, { opterNo: 'it001', mac: '', ip: '10.9.9.9' })).signNo };
    expect(await downloadFile(other, otherCtx, { file_qury_no, filename: 'a.zip' }, path.join(dir, 'a.zip'))).toMatchObject({
      kind: 'rejected',
      errMsg: '文件不存在或已过期',
    });
  });
});

describe('catalogue downloads (13xx)', () => {
  const drugs = CATALOGUE.filter((i) => i.kind === 'drug');
  const services = CATALOGUE.filter((i) => i.kind === 'service');

  it('1301 from version 0: every drug, TAB-separated with empty fields kept and "null" as null', async () => {
    const got = ok(await downloadCatalogue(client, ctx, '1301', { ver: '0' }, dir));
    expect(got.file.filename).toBe(`1301_${CATALOGUE_VERSIONS.midYear}.zip`);
    expect(existsSync(got.path)).toBe(true);
    const rows = await records(got.path);
    expect(rows.map((r) => r.fields[0])).toEqual(drugs.map((d) => d.med_list_codg));
    const amoxicillin = rows[0]!.fields;
    expect(amoxicillin).toHaveLength(23);
    expect(amoxicillin.slice(0, 8)).toEqual([
      'XJ01CAA040A001010100005',
      '阿莫西林胶囊',
      'XJ01CAA040A',
      '阿莫西林胶囊',
      null,
      '',
      null,
      '胶囊剂',
    ]);
    expect(amoxicillin[21]).toBe(CATALOGUE_VERSIONS.initial);
  });

  it('from a version held: only what changed since; parsing resumes after the last line stored', async () => {
    const got = ok(await downloadCatalogue(client, ctx, '1301', { ver: CATALOGUE_VERSIONS.initial }, dir));
    const rows = await records(got.path);
    expect(rows.map((r) => r.fields[0])).toEqual(drugs.filter((d) => d.ver === CATALOGUE_VERSIONS.midYear).map((d) => d.med_list_codg));
    const all = await records(ok(await downloadCatalogue(client, ctx, '1305', { ver: '0' }, dir)).path);
    expect(all).toHaveLength(services.length);
    const resumed = await records(ok(await downloadCatalogue(client, ctx, '1305', { ver: '0' }, dir)).path, 6);
    expect(resumed).toEqual(all.slice(5));
    expect(resumed[0]?.line).toBe(6);
  });

  it('a catalogue the centre does not serve is refused', async () => {
    expect(await requestCatalogueFile(client, ctx, '1302', { ver: '0' })).toMatchObject({
      kind: 'rejected',
      errMsg: '交易编号1302不存在或未开通',
    });
  });
});

describe('paged catalogue queries', () => {
  const since = { updt_time: '2026-01-01 00:00:00' };

  it('1312 item list with charge levels, paged', async () => {
    const first = ok(await queryHilist(client, ctx, { ...since, page_num: 1, page_size: 10 }));
    expect(first).toMatchObject({ recordCounts: CATALOGUE.length, pages: Math.ceil(CATALOGUE.length / 10), pageNum: 1 });
    expect(first.data).toHaveLength(10);
    const last = ok(await queryHilist(client, ctx, { ...since, page_num: 4, page_size: 10 }));
    expect(last.data).toHaveLength(CATALOGUE.length - 30);
    const one = ok(await queryHilist(client, ctx, { ...since, page_num: 1, page_size: 10, hilist_code: 'XJ01DCC047A001010102934' }));
    expect(one.data).toEqual([expect.objectContaining({ hilist_name: '头孢克洛胶囊', chrgitm_lv: '02', list_type: '101' })]);
    expect(ok(await queryHilist(client, ctx, { updt_time: '2026-06-15 00:00:00', page_num: 1, page_size: 100 })).recordCounts).toBe(
      CATALOGUE.filter((i) => i.ver === CATALOGUE_VERSIONS.midYear).length,
    );
  });

  it('1318 price limits and 1319 pre-self-pay ratios, as the policy applies them', async () => {
    const limits = ok(await queryPriceLimits(client, ctx, { ...since, page_num: 1, page_size: 100 })).data;
    expect(limits).toHaveLength(CATALOGUE.filter((i) => i.pric_uplmt !== null).length);
    expect(limits.find((l) => l.hilist_code === 'XJ01DCC047A001010102934')?.hilist_pric_uplmt_amt).toBe('32');
    const ratios = ok(await querySelfpayRatios(client, ctx, { ...since, page_num: 1, page_size: 100 })).data;
    expect(ratios).toHaveLength(CATALOGUE.filter((i) => i.chrgitm_lv === '02').length);
    expect(ratios.find((r) => r.hilist_code === 'XJ01DCC047A001010102934')?.selfpay_prop).toBe('0.1');
    expect(ratios.find((r) => r.hilist_code === '002503010120000')?.selfpay_prop).toBe('0.2');
  });
});
