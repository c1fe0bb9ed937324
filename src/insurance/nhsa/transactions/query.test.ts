// Queries 5201–5205 against the simulated centre: what it holds about visits, diagnoses, settlements, fee lines
// and chronic-disease drug records, read back through the client's schemas.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POPULATION, startCentreWithFreshKeys, type CentreFixture } from '../../../simulators/nhsa';
import { NhsaClient } from '../client';
import { MemoryMsgIdAllocator } from '../msgid';
import type { CallContext, NhsaOutcome } from '../outcome';
import {
  cancelOutpatientSettlement,
  registerOutpatient,
  settleOutpatient,
  uploadOutpatientFees,
  uploadOutpatientVisit,
} from './outpatient';
import { queryChronicDrugRecords, queryDiagnoses, queryFeeDetails, querySettlement, queryVisits } from './query';
import { signIn } from './sign';

const operator = { opter: 'sf001', opterName: '收费员甲', opterType: '1' } as const;
const chen = POPULATION.find((p) => p.name === '陈建国')!;
const RANGE = { begntime: '2026-11-01 00:00:00', endtime: '2026-11-30 23:59:59' };

let fx: CentreFixture;
let client: NhsaClient;
let ctx: CallContext;
const clock = new Date('2026-11-22T02:15:30Z');

function ok<T>(outcome: NhsaOutcome<T>): T {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.output;
}

beforeEach(async () => {
  fx = await startCentreWithFreshKeys({ now: () => clock });
  client = new NhsaClient(fx.stationConfig(), { msgids: new MemoryMsgIdAllocator('H35020300001'), now: () => clock });
  const signNo = ok(await signIn(client, { operator }, { opterNo: 'sf001', mac: '', ip: '10.1.2.3' })).signNo;
  ctx = { operator, signNo, insuplcAdmdvs: '350200' };
});
afterEach(async () => {
  await fx.centre.close();
});

/** A chronic-disease visit (med_type 14): registration, visit record with diagnosis, a drug and a service, settled. */
async function chronicVisit() {
  const { mdtrt_id } = ok(
    await registerOutpatient(client, ctx, {
      psn_no: chen.psnNo,
      insutype: '310',
      begntime: '2026-11-22 10:15:30',
      mdtrt_cert_type: '02',
      mdtrt_cert_no: chen.idNo,
      ipt_otp_no: 'MZ-Q1',
      atddr_no: 'D1',
      dr_name: '林医生',
      dept_code: '0302',
      dept_name: '内分泌科',
      caty: 'A03',
    }),
  );
  ok(
    await uploadOutpatientVisit(client, ctx, {
      mdtrtinfo: {
        mdtrt_id,
        psn_no: chen.psnNo,
        med_type: '14',
        begntime: '2026-11-22 10:15:30',
        dise_codg: 'M03900',
        dise_name: '糖尿病',
      },
      diseinfo: [
        {
          diag_type: '1',
          diag_srt_no: 1,
          diag_code: 'E11.900',
          diag_name: '2型糖尿病',
          diag_dept: '内分泌科',
          dise_dor_no: 'D1',
          dise_dor_name: '林医生',
          diag_time: '2026-11-22 10:18:00',
        },
        {
          diag_type: '1',
          diag_srt_no: 2,
          diag_code: 'I10.x00',
          diag_name: '高血压',
          diag_dept: '内分泌科',
          dise_dor_no: 'D1',
          dise_dor_name: '林医生',
          diag_time: '2026-11-22 10:18:00',
        },
      ],
    }),
  );
  const common = {
    mdtrt_id,
    psn_no: chen.psnNo,
    chrg_bchno: 'CB',
    fee_ocur_time: '2026-11-22 10:20:00',
    bilg_dept_codg: '0302',
    bilg_dept_name: '内分泌科',
    bilg_dr_codg: 'D1',
    bilg_dr_name: '林医生',
  };
  ok(
    await uploadOutpatientFees(client, ctx, {
      feedetail: [
        {
          ...common,
          feedetl_sn: 'FD1',
          med_list_codg: 'XA10BAA021A001010100264',
          medins_list_codg: 'H-METF',
          det_item_fee_sumamt: 2400,
          cnt: '2',
          pric: '12.00',
        },
        {
          ...common,
          feedetl_sn: 'FD2',
          med_list_codg: '001102000010000',
          medins_list_codg: 'H-VISIT',
          det_item_fee_sumamt: 1000,
          cnt: '1',
          pric: '10.00',
        },
      ],
    }),
  );
  const settled = ok(
    await settleOutpatient(client, ctx, {
      psn_no: chen.psnNo,
      mdtrt_cert_type: '02',
      mdtrt_cert_no: chen.idNo,
      med_type: '14',
      medfee_sumamt: 3400,
      psn_setlway: '01',
      mdtrt_id,
      chrg_bchno: 'CB',
      insutype: '310',
      acct_used_flag: '1',
    }),
  );
  return { mdtrt_id, setl_id: settled.setlinfo.setl_id, settled };
}

describe('queries', () => {
  it('5201 visits and 5202 diagnoses', async () => {
    const { mdtrt_id } = await chronicVisit();
    expect(ok(await queryVisits(client, ctx, { psn_no: chen.psnNo, ...RANGE }))).toEqual([
      expect.objectContaining({ mdtrt_id, psn_name: '陈建国', med_type: '14', ipt_otp_no: 'MZ-Q1', dise_codg: 'M03900', inhosp_stas: '0' }),
    ]);
    expect(ok(await queryVisits(client, ctx, { psn_no: chen.psnNo, ...RANGE, med_type: '21' }))).toEqual([]);
    const diagnoses = ok(await queryDiagnoses(client, ctx, { psn_no: chen.psnNo, ...RANGE, mdtrt_id }));
    expect(diagnoses.map((d) => [d.diag_code, d.diag_srt_no, d.maindiag_flag])).toEqual([
      ['E11.900', '1', '1'],
      ['I10.x00', '2', '0'],
    ]);
  });

  it('5203 answers the settlement as booked, and its cancel by the cancel’s setl_id', async () => {
    const { mdtrt_id, setl_id, settled } = await chronicVisit();
    expect(ok(await querySettlement(client, ctx, { psn_no: chen.psnNo, setl_id, mdtrt_id }))).toEqual(settled);
    const twin = ok(await cancelOutpatientSettlement(client, ctx, { setl_id, mdtrt_id, psn_no: chen.psnNo })).setlinfo;
    expect(ok(await querySettlement(client, ctx, { psn_no: chen.psnNo, setl_id: twin.setl_id, mdtrt_id })).setlinfo).toMatchObject({
      medfee_sumamt: -3400,
    });
    expect(await querySettlement(client, ctx, { psn_no: chen.psnNo, setl_id: 'NOSUCH', mdtrt_id })).toMatchObject({
      kind: 'rejected',
      errMsg: '结算信息不存在',
    });
  });

  it('5204 fee lines of a visit or of one settlement; 5205 the drug lines of chronic-disease visits', async () => {
    const { mdtrt_id, setl_id } = await chronicVisit();
    const lines = ok(await queryFeeDetails(client, ctx, { psn_no: chen.psnNo, mdtrt_id, setl_id }));
    expect(lines.map((l) => [l.feedetl_sn, l.det_item_fee_sumamt, l.inscp_scp_amt, l.setl_id, l.hilist_name])).toEqual([
      ['FD1', 2400, 2400, setl_id, '盐酸二甲双胍片'],
      ['FD2', 1000, 1000, setl_id, '普通门诊诊察费'],
    ]);
    expect(ok(await queryFeeDetails(client, ctx, { psn_no: chen.psnNo, mdtrt_id }))).toHaveLength(2);
    const drugs = ok(await queryChronicDrugRecords(client, ctx, { psn_no: chen.psnNo, ...RANGE }));
    expect(drugs).toEqual([
      expect.objectContaining({
        mdtrt_id,
        med_list_codg: 'XA10BAA021A001010100264',
        cnt: '2',
        det_item_fee_sumamt: 2400,
        dise_codg: 'M03900',
      }),
    ]);
  });

  it('accept 5204 / 5205 rows under a node name as well as a bare list', async () => {
    const { mdtrt_id } = await chronicVisit();
    const wrapping: typeof fetch = async (url, init) => {
      const response = await fetch(url, init);
      const body = JSON.parse(await response.text()) as { output?: unknown };
      return new Response(JSON.stringify({ ...body, output: { feedetail: body.output } }), {
        status: response.status,
        headers: response.headers,
      });
    };
    const plain = await startCentreWithFreshKeys({ profile: 'plain', now: () => clock });
    try {
      const msgids = new MemoryMsgIdAllocator('H35020300001');
      const direct = new NhsaClient(plain.stationConfig(), { msgids, now: () => clock });
      const wrapped = new NhsaClient(plain.stationConfig(), { msgids, now: () => clock, fetch: wrapping });
      const signNo = ok(await signIn(direct, { operator }, { opterNo: 'sf001', mac: '', ip: '10.1.2.3' })).signNo;
      const c = { operator, signNo, insuplcAdmdvs: '350200' };
      // The plain centre has no visit: an empty list either way.
      expect(ok(await queryChronicDrugRecords(direct, c, { psn_no: chen.psnNo, ...RANGE }))).toEqual([]);
      expect(ok(await queryChronicDrugRecords(wrapped, c, { psn_no: chen.psnNo, ...RANGE }))).toEqual([]);
    } finally {
      await plain.centre.close();
    }
    expect(mdtrt_id).toBeTruthy();
  });
});
