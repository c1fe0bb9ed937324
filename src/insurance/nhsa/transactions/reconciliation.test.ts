// Reconciliation with the centre: 3201 totals, and the 3202 round — detail file built and zipped by the station,
// uploaded with 9101, compared by the centre against its ledger, result fetched with 9102 and parsed.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DETAIL_RESULT, POPULATION, startCentreWithFreshKeys, type CentreFixture } from '../../../simulators/nhsa';
import { fen, type Fen } from '../../../shared/money';
import { NhsaClient } from '../client';
import { readZip } from '../files/zip';
import { MemoryMsgIdAllocator } from '../msgid';
import type { CallContext, NhsaOutcome } from '../outcome';
import { cancelOutpatientSettlement, registerOutpatient, settleOutpatient, uploadOutpatientFees } from './outpatient';
import { buildDetailFile, parseDetailResult, reconcileDetailsWithFile, reconcileTotals, type DetailLine } from './reconciliation';
import { signIn } from './sign';

const operator = { opter: 'yb001', opterName: '医保办', opterType: '1' } as const;
const chen = POPULATION.find((p) => p.name === '陈建国')!;
const wu = POPULATION.find((p) => p.name === '吴秀英')!; // 310, insured in Fuzhou (350100)

let fx: CentreFixture;
let client: NhsaClient;
let ctx: CallContext;
let workDir: string;
const clock = new Date('2026-11-22T02:15:30Z');

function ok<T>(outcome: NhsaOutcome<T>): T {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.output;
}

beforeEach(async () => {
  fx = await startCentreWithFreshKeys({ now: () => clock });
  client = new NhsaClient(fx.stationConfig(), { msgids: new MemoryMsgIdAllocator('H35020300001'), now: () => clock });
  ctx = { operator, signNo: ok(await signIn(client, { operator }, { opterNo: 'yb001', mac: '', ip: '10.1.2.9' })).signNo };
  workDir = mkdtempSync(path.join(tmpdir(), 'nhsa-3202-'));
});
afterEach(async () => {
  await fx.centre.close();
  rmSync(workDir, { recursive: true, force: true });
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
      ipt_otp_no: `MZ-C${serial}`,
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
  const outcome = await settleOutpatient(client, pctx, {
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
  });
  return { ...ok(outcome).setlinfo, msgid: outcome.msgid, ctx: pctx };
}

const lineOf = (
  s: { setl_id: string; mdtrt_id: string; psn_no: string; medfee_sumamt: Fen; fund_pay_sumamt: Fen; acct_pay: Fen },
  refd: '0' | '1' = '0',
): DetailLine => ({
  setl_id: s.setl_id,
  mdtrt_id: s.mdtrt_id,
  psn_no: s.psn_no,
  medfee_sumamt: s.medfee_sumamt,
  fund_pay_sumamt: s.fund_pay_sumamt,
  acct_pay: s.acct_pay,
  refd_setl_flag: refd,
});

describe('3201 total reconciliation', () => {
  it('compares per insurance type, clearing type, clearing institution and period', async () => {
    const local = await settled(chen, 4000);
    const fuzhou = await settled(wu, 6000);
    const day = { insutype: '310', clr_type: '11', stmt_begndate: '2026-11-22', stmt_enddate: '2026-11-22' } as const;
    const amounts = (s: typeof local) => ({
      medfee_sumamt: s.medfee_sumamt,
      fund_pay_sumamt: s.fund_pay_sumamt,
      acct_pay: s.acct_pay,
      fixmedins_setl_cnt: 1,
    });
    // Each clearing institution (the insured region) reconciles its own settlements.
    expect(ok(await reconcileTotals(client, ctx, { ...day, setl_optins: '350200', ...amounts(local) })).balanced).toBe(true);
    expect(ok(await reconcileTotals(client, ctx, { ...day, setl_optins: '350100', ...amounts(fuzhou) })).balanced).toBe(true);
    expect(ok(await reconcileTotals(client, ctx, { ...day, setl_optins: '350100', ...amounts(local) })).balanced).toBe(false);
    // Another day, another insurance type or clearing type: nothing there.
    const none = { medfee_sumamt: fen(0), fund_pay_sumamt: fen(0), acct_pay: fen(0), fixmedins_setl_cnt: 0 };
    expect(
      ok(
        await reconcileTotals(client, ctx, {
          ...day,
          setl_optins: '350200',
          stmt_begndate: '2026-11-23',
          stmt_enddate: '2026-11-23',
          ...none,
        }),
      ).balanced,
    ).toBe(true);
    expect(ok(await reconcileTotals(client, ctx, { ...day, setl_optins: '350200', insutype: '390', ...none })).balanced).toBe(true);
    expect(ok(await reconcileTotals(client, ctx, { ...day, setl_optins: '350200', clr_type: '21', ...none })).balanced).toBe(true);
  });
});

describe('3202 detail reconciliation', () => {
  it('finds the differing settlements: agree, amounts differ, centre only, station only', async () => {
    const agreed = await settled(chen, 4000);
    const differing = await settled(chen, 8000);
    const cancelled = await settled(chen, 2000);
    const twin = ok(
      await cancelOutpatientSettlement(client, cancelled.ctx, {
        setl_id: cancelled.setl_id,
        mdtrt_id: cancelled.mdtrt_id,
        psn_no: chen.psnNo,
      }),
    ).setlinfo;

    const lines = [
      lineOf(agreed),
      { ...lineOf(differing), acct_pay: fen(differing.acct_pay - 100) },
      lineOf(cancelled),
      // The station lost its record of the cancel (twin missing) and holds one the centre never booked.
      { ...lineOf(agreed), setl_id: '350200299999999999999' },
    ];
    const round = ok(
      await reconcileDetailsWithFile(
        client,
        ctx,
        {
          setl_optins: '350200',
          stmt_begndate: '2026-11-22',
          stmt_enddate: '2026-11-22',
          clr_type: '11',
          medfee_sumamt: fen(18000),
          fund_pay_sumamt: fen(0),
          cash_payamt: fen(0),
          fixmedins_setl_cnt: 4,
          lines,
          fileName: '20261122-310',
        },
        workDir,
      ),
    );
    expect(round.uploaded.file_qury_no).not.toBe(round.result.file_qury_no);
    // A cancel's row is named by the settlement it cancels (refund flag 1), as the station's line names it.
    const bySetl = new Map(round.rows.map((r) => [r.refd_setl_flag === '1' ? `${r.setl_id}|cancel` : r.setl_id, r]));
    expect(bySetl.get(agreed.setl_id)).toMatchObject({
      stmt_rslt: DETAIL_RESULT.agree,
      msgid: agreed.msgid,
      medfee_sumamt: 4000,
      refd_setl_flag: '0',
    });
    expect(bySetl.get(differing.setl_id)).toMatchObject({ stmt_rslt: DETAIL_RESULT.differ, acct_pay: differing.acct_pay });
    expect(bySetl.get(cancelled.setl_id)).toMatchObject({ stmt_rslt: DETAIL_RESULT.agree });
    expect(bySetl.get(`${cancelled.setl_id}|cancel`)).toMatchObject({
      stmt_rslt: DETAIL_RESULT.centreOnly,
      refd_setl_flag: '1',
      medfee_sumamt: -2000,
    });
    expect(round.rows.map((r) => r.setl_id)).not.toContain(twin.setl_id);
    expect(bySetl.get('350200299999999999999')).toMatchObject({ stmt_rslt: DETAIL_RESULT.stationOnly, msgid: null, medfee_sumamt: null });
    expect(round.rows).toHaveLength(5);
    expect(readdirSync(workDir)).toEqual([]); // the downloaded result is not left behind
  });

  it('builds the detail file the centre expects: one UTF-8 .txt, tab-separated, refunds negative', async () => {
    const zip = await buildDetailFile(
      [
        {
          setl_id: 'S1',
          mdtrt_id: 'M1',
          psn_no: 'P1',
          medfee_sumamt: fen(15710),
          fund_pay_sumamt: fen(2240),
          acct_pay: fen(0),
          refd_setl_flag: '0',
        },
        {
          setl_id: 'S2',
          mdtrt_id: 'M1',
          psn_no: 'P1',
          medfee_sumamt: fen(-15710),
          fund_pay_sumamt: fen(-2240),
          acct_pay: fen(0),
          refd_setl_flag: '1',
        },
      ],
      '对账明细',
    );
    const [entry, ...more] = await readZip(zip);
    expect(more).toEqual([]);
    expect(entry?.name).toBe('对账明细.txt');
    expect(new TextDecoder().decode(entry?.data)).toBe('S1\tM1\tP1\t157.10\t22.40\t0.00\t0\nS2\tM1\tP1\t-157.10\t-22.40\t0.00\t1');
    await expect(buildDetailFile([], 'x')).rejects.toThrow(/at least one/);
  });

  it('reads "null" as absent and refuses a result line that is not one', async () => {
    const { writeZip } = await import('../files/zip');
    const result = (text: string) => writeZip([{ name: 'result.txt', data: new TextEncoder().encode(text) }]);
    expect(await parseDetailResult(await result('P\tM\tS\tnull\t3\t0\t中心无此结算记录\tnull\tnull\tnull\r\n'))).toEqual([
      {
        psn_no: 'P',
        mdtrt_id: 'M',
        setl_id: 'S',
        msgid: null,
        stmt_rslt: '3',
        refd_setl_flag: '0',
        memo: '中心无此结算记录',
        medfee_sumamt: null,
        fund_pay_sumamt: null,
        acct_pay: null,
      },
    ]);
    await expect(parseDetailResult(await result('P\tM\tS\n'))).rejects.toThrow(/3 fields/);
    await expect(parseDetailResult(await result('P\tM\tS\tX\t0\t0\t\t1.234\t0\t0'))).rejects.toThrow(/not an amount/);
  });

  it('a detail file the centre cannot read is refused with its message', async () => {
    const { uploadFile } = await import('./files');
    const { reconcileDetails } = await import('./reconciliation');
    const uploaded = ok(await uploadFile(client, ctx, { filename: 'bad.zip', content: new TextEncoder().encode('not a zip') }));
    const outcome = await reconcileDetails(client, ctx, {
      setl_optins: '350200',
      stmt_begndate: '2026-11-22',
      stmt_enddate: '2026-11-22',
      clr_type: '11',
      file_qury_no: uploaded.file_qury_no,
      medfee_sumamt: fen(0),
      fund_pay_sumamt: fen(0),
      cash_payamt: fen(0),
      fixmedins_setl_cnt: 0,
    });
    expect(outcome).toMatchObject({ kind: 'rejected', errMsg: expect.stringContaining('对账明细文件不是有效的zip文件') as unknown });
  });
});
