// Monthly cross-region clearing against the simulated centre: 3260 serves the institution's cross-region
// settlements still in force, 3261 confirms them only when every row agrees, 3262 rolls a confirmation back —
// all three only from the 5th to the 8th of the following month.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POPULATION, startCentreWithFreshKeys, type CentreFixture } from '../../../simulators/nhsa';
import { fen } from '../../../shared/money';
import { NhsaClient } from '../client';
import { MemoryMsgIdAllocator } from '../msgid';
import type { CallContext, NhsaOutcome } from '../outcome';
import { CLEARING_PAGE_ROWS, confirmClearing, fetchClearingDetail, rollbackClearing, type ClearingRow } from './clearing';
import { cancelOutpatientSettlement, registerOutpatient, settleOutpatient, uploadOutpatientFees } from './outpatient';
import { signIn } from './sign';

const operator = { opter: 'yb001', opterName: '医保办', opterType: '1' } as const;
const chen = POPULATION.find((p) => p.name === '陈建国')!; // insured here (Xiamen 350200)
const wu = POPULATION.find((p) => p.name === '吴秀英')!; // insured in Fuzhou (350100): cross-region
const november = { trt_year: '2026', trt_month: '11' } as const;

let fx: CentreFixture;
let client: NhsaClient;
let ctx: CallContext;
let now = new Date('2026-11-22T02:15:30Z');

function ok<T>(outcome: NhsaOutcome<T>): T {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.output;
}

async function signInNow(): Promise<void> {
  ctx = { operator, signNo: ok(await signIn(client, { operator }, { opterNo: 'yb001', mac: '', ip: '10.1.2.9' })).signNo };
}

beforeEach(async () => {
  now = new Date('2026-11-22T02:15:30Z');
  fx = await startCentreWithFreshKeys({ now: () => now });
  client = new NhsaClient(fx.stationConfig(), { msgids: new MemoryMsgIdAllocator('H35020300001'), now: () => now });
  await signInNow();
});
afterEach(async () => {
  await fx.centre.close();
});

let serial = 0;
/** A settled outpatient visit: 2201, 2204 (one line), 2207. */
async function settled(person: typeof chen, amount: number) {
  serial += 1;
  const pctx = { ...ctx, insuplcAdmdvs: person.insurances[0]!.insuplcAdmdvs };
  const { mdtrt_id } = ok(
    await registerOutpatient(client, pctx, {
      psn_no: person.psnNo,
      insutype: '310',
      begntime: '2026-11-22 10:15:30',
      mdtrt_cert_type: '02',
      mdtrt_cert_no: person.idNo,
      ipt_otp_no: `MZ-Q${serial}`,
      atddr_no: 'D1',
      dr_name: '林医生',
      dept_code: '0301',
      dept_name: '内科',
      caty: 'A03',
    }),
  );
  ok(
    await uploadOutpatientFees(client, pctx, {
      feedetail: [
        {
          feedetl_sn: 'FD1',
          mdtrt_id,
          psn_no: person.psnNo,
          chrg_bchno: 'CB',
          fee_ocur_time: '2026-11-22 10:20:00',
          med_list_codg: '002501000010000',
          medins_list_codg: 'H1',
          det_item_fee_sumamt: amount,
          cnt: String(amount / 2000),
          pric: '20.00',
          bilg_dept_codg: '0301',
          bilg_dept_name: '内科',
          bilg_dr_codg: 'D1',
          bilg_dr_name: '林医生',
        },
      ],
    }),
  );
  const setl = ok(
    await settleOutpatient(client, pctx, {
      psn_no: person.psnNo,
      mdtrt_cert_type: '02',
      mdtrt_cert_no: person.idNo,
      med_type: '11',
      medfee_sumamt: amount,
      psn_setlway: '01',
      mdtrt_id,
      chrg_bchno: 'CB',
      insutype: '310',
      acct_used_flag: '1',
    }),
  ).setlinfo;
  return { ...setl, ctx: pctx };
}

/** Into the window: 5 December, Beijing. */
async function toWindow(day = '05'): Promise<void> {
  now = new Date(`2026-12-${day}T01:00:00Z`);
  await signInNow();
}

const confirmRows = (rows: ClearingRow[], flag: '0' | '1' = '1') =>
  rows.map((r) => ({
    certno: r.certno,
    mdtrt_id: r.mdtrt_id,
    mdtrt_setl_time: r.mdtrt_setl_time,
    setl_sn: r.setl_sn,
    medfee_sumamt: r.medfee_sumamt,
    optins_pay_sumamt: r.optins_pay_sumamt,
    cnfm_flag: flag,
  }));

describe('3260 clearing detail', () => {
  it('serves the month’s cross-region settlements still in force, and only in the 5th–8th window', async () => {
    await settled(chen, 4000);
    const kept = await settled(wu, 6000);
    const cancelled = await settled(wu, 2000);
    ok(
      await cancelOutpatientSettlement(client, cancelled.ctx, {
        setl_id: cancelled.setl_id,
        mdtrt_id: cancelled.mdtrt_id,
        psn_no: wu.psnNo,
      }),
    );

    const early = await fetchClearingDetail(client, ctx, november);
    expect(early).toMatchObject({ kind: 'rejected', errMsg: '2026-11清分受理时间为2026-12-05至2026-12-08' });

    await toWindow();
    const { rows } = ok(await fetchClearingDetail(client, ctx, november));
    expect(rows).toEqual([
      expect.objectContaining({
        seqno: 1,
        mdtrtarea: '350200',
        certno: wu.idNo,
        mdtrt_id: kept.mdtrt_id,
        setl_sn: kept.setl_id,
        medfee_sumamt: kept.medfee_sumamt,
        optins_pay_sumamt: kept.fund_pay_sumamt,
      }),
    ]);

    now = new Date('2026-12-09T01:00:00Z'); // the 9th: closed again
    await signInNow();
    expect(await fetchClearingDetail(client, ctx, november)).toMatchObject({ kind: 'rejected' });
  });

  it('pages by 100 until a short page', { timeout: 60_000 }, async () => {
    for (let i = 0; i < CLEARING_PAGE_ROWS + 1; i += 1) await settled(wu, 2000);
    await toWindow();
    const { rows } = ok(await fetchClearingDetail(client, ctx, november));
    expect(rows.map((r) => r.seqno)).toEqual(Array.from({ length: CLEARING_PAGE_ROWS + 1 }, (_, i) => i + 1));
    expect(fx.centre.control.requests().filter((r) => r.infno === '3260')).toHaveLength(2);
  });
});

describe('3261 confirm and 3262 roll back', () => {
  it('confirms only rows that all agree, once, until rolled back by its inf_refmsgid or "0"', async () => {
    await settled(wu, 6000);
    await settled(wu, 4000);
    await toWindow('08');
    const { rows } = ok(await fetchClearingDetail(client, ctx, november));
    const detail = confirmRows(rows);

    const altered = detail.map((row, i) => (i === 0 ? { ...row, medfee_sumamt: fen(row.medfee_sumamt + 1) } : row));
    expect(await confirmClearing(client, ctx, { ...november, totalrow: 2, detail: altered })).toMatchObject({
      kind: 'rejected',
      errMsg: `清分明细${rows[0]!.setl_sn}金额与中心不符`,
    });
    expect(await confirmClearing(client, ctx, { ...november, totalrow: 1, detail: detail.slice(1) })).toMatchObject({ kind: 'rejected' });

    const confirmed = await confirmClearing(client, ctx, { ...november, totalrow: 2, detail });
    expect(confirmed.kind).toBe('ok');
    expect(await confirmClearing(client, ctx, { ...november, totalrow: 2, detail })).toMatchObject({
      kind: 'rejected',
      errMsg: '2026-11清分结果已确认，如需重新确认请先回退',
    });

    const refId = confirmed.kind === 'ok' ? confirmed.infRefmsgid : '';
    expect(await rollbackClearing(client, ctx, { ...november, otransid: refId })).toMatchObject({ kind: 'ok' });
    expect(await rollbackClearing(client, ctx, { ...november, otransid: refId })).toMatchObject({
      kind: 'rejected',
      errMsg: '2026-11无可回退的清分确认',
    });

    // Redone with one row left out (不纳入), then everything of the month rolled back with "0".
    const partial = detail.map((row, i) => (i === 1 ? { ...row, cnfm_flag: '0' as const } : row));
    expect((await confirmClearing(client, ctx, { ...november, totalrow: 2, detail: partial })).kind).toBe('ok');
    expect(await rollbackClearing(client, ctx, { ...november, otransid: '0' })).toMatchObject({ kind: 'ok' });
    expect(await rollbackClearing(client, ctx, { ...november, otransid: '0' })).toMatchObject({ kind: 'rejected' });
  });
});
