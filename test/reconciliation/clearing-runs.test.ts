/**
 * ZS-07 in the station: the month's cross-region clearing against the centre simulator on 127.0.0.1, from the
 * ledger the station reads (its embedded one here). Outside the 5th–8th window nothing is sent and the month's
 * picture says when it opens; in it a check matches the centre's 3260 rows with the ledger (a planted difference of
 * each kind found), a confirm sends 3261 with only the agreeing rows 纳入, the centre refuses a second one, and a
 * roll-back (3262) by the confirmation's inf_refmsgid lets the office redo it. Every run is kept, audited, exported.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OperatorView } from '../../src/shared/domain';
import { POPULATION, type CentreFixture } from '../../src/simulators/nhsa';
import { EmbeddedLedger } from '../../src/station/hospital-ledger';
import { ClearingRuns } from '../../src/station/reconciliation';
import { AuditRepo } from '../../src/station/store/audit-repo';
import { INSTITUTION, type SettlementRig } from '../../src/station/outpatient/testing/settlement-rig';
import { settleOne, settlementEvent, type SettledAtCentre } from './settled-events';
import { closeCentreRig, startCentreRig } from './centre-rig';

const TZ = 'Asia/Shanghai';
const ADMIN: OperatorView = { id: 'yb-office', name: '医保办', role: 'admin' };
const NOVEMBER_DAY = new Date('2026-11-20T02:00:00Z');
const IN_WINDOW = new Date('2026-12-05T02:00:00Z');
let centreNow = NOVEMBER_DAY;
let dir: string;
let fx: CentreFixture;
let rig: SettlementRig;
let ledger: EmbeddedLedger;

const fuzhou = POPULATION.filter((p) => p.insurances[0]?.insuplcAdmdvs === '350100' && p.insurances[0]?.psnInsuStas === '1');
const local = POPULATION.find((p) => p.insurances[0]?.insuplcAdmdvs === INSTITUTION.admdvs && p.insurances[0]?.psnInsuStas === '1')!;

function clearing() {
  return new ClearingRuns({
    db: rig.db,
    audit: new AuditRepo(rig.db, 'W01', rig.cipher),
    gateway: rig.gateway,
    ledger,
    ownRegion: INSTITUTION.admdvs,
    now: () => centreNow,
    timeZone: TZ,
    exportsDir: path.join(dir, 'exports'),
  });
}

beforeEach(async () => {
  centreNow = NOVEMBER_DAY;
  ({ dir, fx, rig } = await startCentreRig('clearing-runs', () => centreNow));
  ledger = new EmbeddedLedger(rig.db, () => centreNow);
});

afterEach(async () => {
  await closeCentreRig({ dir, fx, rig });
});

const centreCalls = (infno: string) => fx.centre.control.requests().filter((r) => r.infno === infno).length;

/** Settled at the centre on 20 November; the ledger gets the events given (a settlement the station lost gets none). */
async function november(): Promise<{ agreed: SettledAtCentre; altered: SettledAtCentre; lost: SettledAtCentre; home: SettledAtCentre }> {
  const agreed = await settleOne(rig, fuzhou[0]!);
  const altered = await settleOne(rig, fuzhou[1]!);
  const lost = await settleOne(rig, fuzhou[0]!);
  const home = await settleOne(rig, local);
  const alteredEvent = settlementEvent(altered, 'settlement', 'W01', NOVEMBER_DAY);
  alteredEvent.amounts = { ...alteredEvent.amounts, fund: (alteredEvent.amounts.fund ?? 0) + 100 };
  // A settlement the ledger has and the centre does not: its visit never reached the centre's clearing.
  const ghost = settlementEvent(agreed, 'settlement', 'W02', NOVEMBER_DAY);
  ghost.eventId = 'ghost';
  ghost.ids = { setlId: 'GHOST-SETL', mdtrtId: 'GHOST-MDTRT' };
  await ledger.append([
    settlementEvent(agreed, 'settlement', 'W01', NOVEMBER_DAY),
    alteredEvent,
    settlementEvent(home, 'settlement', 'W01', NOVEMBER_DAY),
    ghost,
  ]);
  return { agreed, altered, lost, home };
}

describe('the month’s cross-region clearing in the station', () => {
  it('outside the window nothing is sent, and the month says when it opens, with the ledger’s picture', async () => {
    await november();
    await expect(clearing().run(ADMIN, '2026-11', 'check')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: '2026-11 的异地清分受理时间为 2026-12-05 至 2026-12-08',
    });
    expect(centreCalls('3260')).toBe(0);
    const month = await clearing().month('2026-11');
    expect(month).toMatchObject({
      month: '2026-11',
      window: { opens: '2026-12-05', closes: '2026-12-08', open: false },
      state: 'unconfirmed',
      runs: [],
    });
    // Cross-region only: the local patient's settlement is not the clearing's.
    expect(month.regions).toEqual([expect.objectContaining({ region: '350100', count: 3 })]);
    expect(month.days).toEqual([expect.objectContaining({ day: '2026-11-20', count: 3 })]);
  });

  it('checks, confirms only what agrees, is refused a second confirmation, rolls back and confirms again', async () => {
    const { agreed, altered, lost } = await november();
    centreNow = IN_WINDOW;
    const runs = clearing();

    const check = await runs.run(ADMIN, '2026-11', 'check');
    const status = Object.fromEntries(check.rows.map((r) => [r.setlId, [r.status, r.confirmed, r.memo]]));
    expect(status).toEqual({
      [agreed.settlement.setlinfo.setl_id]: ['agree', true, ''],
      [altered.settlement.setlinfo.setl_id]: ['differ', false, '统筹对不上'],
      [lost.settlement.setlinfo.setl_id]: ['centre-only', false, '院内无此结算'],
      'GHOST-SETL': ['station-only', false, '中心清分明细无此结算'],
    });
    expect(check.totals).toMatchObject({ rows: 3, confirmed: 1, differences: 3 });
    expect(centreCalls('3261')).toBe(0);

    const confirm = await runs.run(ADMIN, '2026-11', 'confirm');
    expect(confirm).toMatchObject({ action: 'confirm', outcome: 'done', infRefmsgid: expect.stringMatching(/^350200\d{24}$/) });
    expect(confirm.totals).toMatchObject({ confirmed: 1, medfeeFen: agreed.settlement.setlinfo.medfee_sumamt });
    expect((await runs.month('2026-11')).state).toBe('confirmed');

    await expect(runs.run(ADMIN, '2026-11', 'confirm')).rejects.toMatchObject({
      code: 'CENTRE_REJECTED',
      message: expect.stringContaining('已确认'),
    });

    const rollback = await runs.run(ADMIN, '2026-11', 'rollback');
    expect(rollback).toMatchObject({ action: 'rollback', outcome: 'done' });
    expect((await runs.month('2026-11')).state).toBe('unconfirmed');
    expect((await runs.run(ADMIN, '2026-11', 'confirm')).outcome).toBe('done');

    const month = await runs.month('2026-11');
    expect(month.runs.map((r) => [r.action, r.outcome])).toEqual([
      ['confirm', 'done'],
      ['rollback', 'done'],
      ['confirm', 'failed'],
      ['confirm', 'done'],
      ['check', 'done'],
    ]);
    expect(month.runs[2]?.error).toContain('3261');
    expect(() => rig.db.prepare(`UPDATE clearing_runs SET outcome = 'done'`).run()).toThrow(/never changed/);
    const audited = rig.db.prepare(`SELECT action, outcome FROM audit_log WHERE action LIKE 'clearing.%' ORDER BY id`).all();
    expect(audited).toEqual([
      { action: 'clearing.confirm', outcome: 'ok' },
      { action: 'clearing.confirm', outcome: 'failed' },
      { action: 'clearing.rollback', outcome: 'ok' },
      { action: 'clearing.confirm', outcome: 'ok' },
    ]);

    const exported = await runs.export(ADMIN, check.id, 'csv');
    expect(exported.rows).toBe(4);
    const text = fs.readFileSync(exported.file, 'utf8');
    expect(text).toContain('统筹对不上');
    expect(text).toContain('GHOST-SETL');
    expect(text).not.toContain(fuzhou[0]!.idNo);
  });

  it('a confirmation whose answer is lost is kept as failed with an unknown outcome, never as confirmed', async () => {
    await november();
    centreNow = IN_WINDOW;
    fx.centre.control.inject({ infno: '3261', fault: { kind: 'drop-response' }, times: 1 });
    await expect(clearing().run(ADMIN, '2026-11', 'confirm')).rejects.toMatchObject({ code: 'CENTRE_UNREACHABLE' });
    const month = await clearing().month('2026-11');
    expect(month.state).toBe('unconfirmed');
    expect(month.runs[0]).toMatchObject({ outcome: 'failed', error: expect.stringContaining('结果未知') });
    // The centre did confirm: the office rolls back with "0" (no id known) and redoes it.
    expect((await clearing().run(ADMIN, '2026-11', 'rollback')).outcome).toBe('done');
    expect((await clearing().run(ADMIN, '2026-11', 'confirm')).outcome).toBe('done');
  });
});
