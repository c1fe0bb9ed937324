/**
 * AQ-06 in the station: a day's reconciliation run from the ledger the station reads (its embedded ledger here)
 * with the centre simulator on 127.0.0.1, each run kept in `reconciliations` with its groups and its differences
 * (sealed: they name person numbers), a failed run kept with why, and the sweep's automatic run for yesterday once
 * a day after the configured hour.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CentreFixture } from '../../src/simulators/nhsa';
import { dayStartUtc, localDay } from '../../src/station/clock';
import { EmbeddedLedger } from '../../src/station/hospital-ledger';
import { AUTO_RECONCILER } from '../../src/station/reconciliation';
import { insured, settleOne, settlementEvent } from './settled-events';
import { AuditRepo } from '../../src/station/store/audit-repo';
import { OPERATOR, type SettlementRig } from '../../src/station/outpatient/testing/settlement-rig';
import { closeCentreRig, rigRuns, startCentreRig } from './centre-rig';

const TZ = 'Asia/Shanghai';
let dir: string;
let fx: CentreFixture;
let rig: SettlementRig;
let ledger: EmbeddedLedger;

function runs(now: () => Date = () => new Date(), autoAfterHour: number | null = null) {
  return rigRuns({ dir, fx, rig }, ledger, { now, autoAfterHour });
}

beforeEach(async () => {
  ({ dir, fx, rig } = await startCentreRig('recon-runs'));
  ledger = new EmbeddedLedger(rig.db, () => new Date());
});

afterEach(async () => {
  await closeCentreRig({ dir, fx, rig });
});

const today = () => localDay(new Date(), TZ);

describe('the day’s reconciliation run in the station', () => {
  it('a day the ledger and the centre agree on is kept balanced, with its groups', async () => {
    const [a] = insured();
    const s = await settleOne(rig, a!);
    await ledger.append([settlementEvent(s, 'settlement')]);
    const run = await runs().run(OPERATOR, today());
    expect(run).toMatchObject({
      day: today(),
      outcome: 'balanced',
      trigger: 'manual',
      operatorId: OPERATOR.id,
      events: 1,
      differences: [],
    });
    expect(run.groups).toEqual([
      expect.objectContaining({
        count: 1,
        medfeeFen: s.settlement.setlinfo.medfee_sumamt,
        fundFen: s.settlement.setlinfo.fund_pay_sumamt,
        balanced: true,
      }),
    ]);
    expect(runs().list({ limit: 10 })).toEqual([run]);
  });

  it('a settlement only the centre has: kept unbalanced with the difference and what to do, person numbers sealed', async () => {
    const [a, b] = insured();
    const kept = await settleOne(rig, a!);
    const missing = await settleOne(rig, b!);
    await ledger.append([settlementEvent(kept, 'settlement')]);
    const run = await runs().run(OPERATOR, today());
    expect(run.outcome).toBe('unbalanced');
    expect(run.groups.some((g) => !g.balanced)).toBe(true);
    expect(run.differences).toEqual([
      expect.objectContaining({
        kind: 'centre-only',
        setlId: missing.settlement.setlinfo.setl_id,
        suggestion: expect.stringContaining('离线'),
      }),
    ]);
    const [stored] = runs().list({ day: today(), limit: 5 });
    expect(stored).toEqual(run);
    const raw = rig.db.prepare('SELECT groups_json, differences_sealed FROM reconciliations').get() as Record<string, string>;
    expect(JSON.stringify(raw)).not.toContain(missing.settlement.setlinfo.setl_id);
    expect(JSON.stringify(raw)).not.toContain(missing.payload.input.psn_no);
    expect(() => rig.db.prepare(`UPDATE reconciliations SET outcome = 'balanced'`).run()).toThrow(/never changed/);

    // The differences exported with the lists' writer: the settlement and what to do, no person number.
    const exported = await runs().exportDifferences(OPERATOR, run.id, 'csv');
    expect(exported.rows).toBe(1);
    const lines = fs
      .readFileSync(exported.file, 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);
    expect(lines[0]).toContain('处理建议');
    expect(lines[1]).toContain(missing.settlement.setlinfo.setl_id);
    expect(lines[1]).toContain('离线');
    expect(lines.join('')).not.toContain(missing.payload.input.psn_no);
  });

  it('a centre that cannot be reached: the run is kept as failed with why, and the error answers the caller', async () => {
    const [a] = insured();
    await ledger.append([settlementEvent(await settleOne(rig, a!), 'settlement')]);
    await fx.centre.close();
    await expect(runs().run(OPERATOR, today())).rejects.toMatchObject({ code: 'CENTRE_UNREACHABLE' });
    expect(runs().list({ limit: 5 })).toEqual([
      expect.objectContaining({ outcome: 'failed', events: 1, error: expect.stringContaining('3201'), groups: [] }),
    ]);
  });

  it('the sweep reconciles yesterday once, only after the configured hour, audited as the automatic reconciler', async () => {
    const [a] = insured();
    const s = await settleOne(rig, a!);
    const yesterday = localDay(new Date(dayStartUtc(today(), TZ).getTime() - 3_600_000), TZ);
    // Published at noon yesterday (Beijing): the centre has it today, so yesterday's run names it as the hospital's only.
    await ledger.append([settlementEvent(s, 'settlement', 'W01', new Date(dayStartUtc(yesterday, TZ).getTime() + 12 * 3_600_000))]);
    const at = (hour: number) => () => new Date(dayStartUtc(today(), TZ).getTime() + hour * 3_600_000);

    expect(await runs(at(1), 2).autoRun()).toBeNull();
    expect(await runs(at(3), null).autoRun()).toBeNull();
    const made = await runs(at(3), 2).autoRun();
    expect(made).toMatchObject({ day: yesterday, trigger: 'auto', operatorId: AUTO_RECONCILER.id, outcome: 'unbalanced', events: 1 });
    expect(made!.differences.map((x) => x.kind)).toEqual(['hospital-only']);
    expect(await runs(at(5), 2).autoRun()).toBeNull();
    expect(runs().list({ limit: 10 })).toHaveLength(1);
    const audited = new AuditRepo(rig.db, 'W01', rig.cipher).list(10).filter((r) => r.action === 'reconciliation.auto');
    expect(audited).toEqual([expect.objectContaining({ operatorId: AUTO_RECONCILER.id, outcome: 'ok' })]);
  });
});
