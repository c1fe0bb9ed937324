/**
 * Issue 14 item 3: a 3202 difference's suggestion carried out by the office, against the centre simulator on
 * 127.0.0.1. A settlement only the centre holds is cancelled by 2208 through the outbox's own settlement-cancel
 * movement and the day, reconciled again, balances; one only the ledger holds is asked after by 5204 and, the
 * centre having none, handed to the outbox; each action audited with its operator and reason.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cancelOutpatientSettlement } from '../../src/insurance/nhsa';
import type { CentreFixture } from '../../src/simulators/nhsa';
import { localDay } from '../../src/station/clock';
import { EmbeddedLedger } from '../../src/station/hospital-ledger';
import { settlementCancelMovement } from '../../src/station/outpatient/movements/cancels';
import type { OutpatientMovementDeps } from '../../src/station/outpatient/movements/deps';
import { resolveDifference } from '../../src/station/reconciliation';
import { AuditRepo } from '../../src/station/store/audit-repo';
import { OPERATOR, readyToSettle, type SettlementRig } from '../../src/station/outpatient/testing/settlement-rig';
import { insured, settleOne, settlementEvent } from './settled-events';
import { closeCentreRig, rigRuns, startCentreRig } from './centre-rig';

const TZ = 'Asia/Shanghai';
let dir: string;
let fx: CentreFixture;
let rig: SettlementRig;
let ledger: EmbeddedLedger;

const today = () => localDay(new Date(), TZ);

function deps() {
  const audit = new AuditRepo(rig.db, 'W01', rig.cipher);
  const runs = rigRuns({ dir, fx, rig }, ledger, { audit });
  return { runs, gateway: rig.gateway, outbox: rig.outbox, newMsgid: () => rig.msgids.next(new Date()), audit, now: () => new Date() };
}

/** The day reconciled, then its difference `key` resolved: the run, the resolution, and the infnos sent to the centre for it. */
async function runAndResolve(key: string, reason: string) {
  const d = deps();
  const before = await d.runs.run(OPERATOR, today());
  const messagesBefore = fx.centre.control.messages().length;
  const done = await resolveDifference(d, OPERATOR, { runId: before.id, key, reason });
  const sent = fx.centre.control
    .messages()
    .slice(messagesBefore)
    .map((m) => m.infno);
  return { before, done, sent };
}

const audited = () =>
  rig.db.prepare(`SELECT operator_id AS operatorId, outcome FROM audit_log WHERE action = 'reconciliation.resolve' ORDER BY id`).all();

beforeEach(async () => {
  ({ dir, fx, rig } = await startCentreRig('recon-resolve'));
  // The station's own 2208 movement, as its outbox registers it (no order of the station's is touched here).
  const movementDeps: Pick<OutpatientMovementDeps, 'gateway' | 'newMsgid' | 'now'> & { orders: { get: () => undefined } } = {
    gateway: rig.gateway,
    newMsgid: () => rig.msgids.next(new Date()),
    now: () => new Date(),
    orders: { get: () => undefined },
  };
  rig.outbox.register(settlementCancelMovement(movementDeps as unknown as OutpatientMovementDeps));
  ledger = new EmbeddedLedger(rig.db, () => new Date());
});

afterEach(async () => {
  await closeCentreRig({ dir, fx, rig });
});

describe('a difference resolved from the drill-down', () => {
  it('a settlement only the centre holds is cancelled by 2208 through the outbox, audited, and the day balances again', async () => {
    const [a, b] = insured();
    const kept = await settleOne(rig, a!);
    await ledger.append([settlementEvent(kept, 'settlement')]);
    const stray = await settleOne(rig, b!); // the centre has it, the ledger never got it
    const { before, done, sent } = await runAndResolve(stray.settlement.setlinfo.setl_id, '重复结算');
    expect(before.outcome).toBe('unbalanced');
    expect(before.differences).toEqual([
      expect.objectContaining({ kind: 'centre-only', setlId: stray.settlement.setlinfo.setl_id, psnNo: stray.payload.input.psn_no }),
    ]);
    expect(done).toMatchObject({ resolution: 'cancelled', run: { outcome: 'balanced', differences: [] } });
    expect(sent).toContain('2208');
    expect(rig.intents.openCounts()).toMatchObject({ unknown: 0 });
    expect(audited()).toEqual([{ operatorId: OPERATOR.id, outcome: 'ok' }]);
  });

  it('a settlement only the ledger holds is asked after by 5204; the centre still having the visit settled, a person decides', async () => {
    const [a] = insured();
    const s = await settleOne(rig, a!);
    const ghost = settlementEvent(s, 'settlement');
    await ledger.append([
      { ...ghost, eventId: 'ghost', ids: { ...ghost.ids, setlId: 'S-NOT-AT-CENTRE' } },
      settlementEvent(s, 'settlement'),
    ]);
    const { before, done, sent } = await runAndResolve('S-NOT-AT-CENTRE', '核实');
    expect(before.differences).toEqual([expect.objectContaining({ kind: 'hospital-only', setlId: 'S-NOT-AT-CENTRE' })]);
    // The visit is settled at the centre (under its real setl_id): 5204 says so, and a person decides.
    expect(done.resolution).toBe('needs-person');
    expect(done.note).toContain('5204');
    expect(sent).toContain('5204');
    expect(sent).not.toContain('2208');
    expect(audited()).toEqual([{ operatorId: OPERATOR.id, outcome: 'ok' }]);
  });

  it('a settlement only the ledger holds, the centre having none (5204), is handed to the outbox’s resolution', async () => {
    const [a, b] = insured();
    const s = await settleOne(rig, a!);
    // b's visit is registered and its fees uploaded, but never settled at the centre: the ledger claims it was.
    const unsettled = await readyToSettle(rig, b!);
    const template = settlementEvent(s, 'settlement');
    await ledger.append([
      template,
      {
        ...template,
        eventId: 'ghost',
        orderId: 'order-ghost',
        ids: { setlId: 'S-NEVER-SETTLED', mdtrtId: unsettled.input.mdtrt_id },
        insurance: { ...template.insurance!, psnNo: unsettled.input.psn_no },
      },
    ]);
    // The order's own movement still in doubt, next looked at in a day: the hand-over must make it due now.
    const far = new Date(Date.now() + 86_400_000);
    rig.intents.insert({ id: 'ghost-intent', kind: 'nhsa.2207', orderId: 'order-ghost', externalId: 'x-ghost', payload: {} }, new Date());
    rig.intents.transition('ghost-intent', 'prepared', 'unknown', { detail: '结算结果未知', nextAt: far }, 'station', new Date());
    const { before, done, sent } = await runAndResolve('S-NEVER-SETTLED', '核实');
    expect(before.differences).toEqual([expect.objectContaining({ kind: 'hospital-only', setlId: 'S-NEVER-SETTLED' })]);
    expect(done.resolution).toBe('handed-over');
    expect(done.note).toContain('order-ghost');
    expect(Date.parse(rig.intents.get('ghost-intent')!.nextAt!)).toBeLessThan(far.getTime());
    expect(sent).toContain('5204');
    expect(sent).not.toContain('2208');
    expect(audited()).toEqual([{ operatorId: OPERATOR.id, outcome: 'ok' }]);
  });

  it('amounts that differ send nothing to the centre: a person decides, with the note of what to check', async () => {
    const [a] = insured();
    const s = await settleOne(rig, a!);
    const event = settlementEvent(s, 'settlement');
    await ledger.append([{ ...event, amounts: { ...event.amounts, total: event.amounts.total! + 100 } }]);
    const { before, done, sent } = await runAndResolve(s.settlement.setlinfo.setl_id, '核实金额');
    expect(before.differences).toEqual([expect.objectContaining({ kind: 'differ', setlId: s.settlement.setlinfo.setl_id })]);
    expect(done).toMatchObject({ resolution: 'needs-person', run: { outcome: 'unbalanced' } });
    expect(done.note).toContain('5203');
    expect(sent).not.toContain('2208');
    expect(audited()).toEqual([{ operatorId: OPERATOR.id, outcome: 'ok' }]);
  });

  it('a settlement and its cancel both only at the centre share the id 3202 names them by: the cancel decides, nothing is cancelled again', async () => {
    const [a, b] = insured();
    const kept = await settleOne(rig, a!);
    await ledger.append([settlementEvent(kept, 'settlement')]);
    await settleOne(rig, a!); // the centre's only: its group unbalanced, so 3202 is asked
    const pair = await settleOne(rig, b!); // settled and cancelled at the centre, neither in the ledger
    const { setl_id: setlId, mdtrt_id: mdtrtId } = pair.settlement.setlinfo;
    const cancelled = await rig.gateway.perform(
      '2208',
      OPERATOR,
      (client, ctx) => cancelOutpatientSettlement(client, ctx, { setl_id: setlId, mdtrt_id: mdtrtId, psn_no: pair.payload.input.psn_no }),
      { insuredRegion: pair.payload.insuredRegion },
    );
    expect(cancelled.kind).toBe('ok');
    const { before, done, sent } = await runAndResolve(setlId, '核实撤销');
    expect(before.differences.filter((x) => x.setlId === setlId).map((x) => [x.kind, x.centreRefund])).toEqual([
      ['centre-only', false],
      ['centre-only', true],
    ]);
    expect(done).toMatchObject({ resolution: 'needs-person', note: expect.stringContaining('撤销记录') });
    expect(sent).not.toContain('2208');
  });

  it('a difference not in the run is refused and the refusal audited', async () => {
    const d = deps();
    const run = await d.runs.run(OPERATOR, today());
    await expect(resolveDifference(d, OPERATOR, { runId: run.id, key: 'NOPE', reason: '测试' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(audited()).toEqual([{ operatorId: OPERATOR.id, outcome: 'denied' }]);
  });
});
