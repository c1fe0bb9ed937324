/**
 * Issue 14, item 3 against the NHSA centre simulator on 127.0.0.1: the hospital ledger's events of a day reconciled
 * with the centre. Settlements made at the centre and published to the ledger balance 3201; a settlement the ledger
 * lacks, or one the centre never had, unbalances its group, and 3202 names it with what to do; a settlement and its
 * cancel net to zero on both sides.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cancelOutpatientSettlement } from '../../src/insurance/nhsa';
import type { CentreFixture } from '../../src/simulators/nhsa';
import { dayStartUtc, localDay, systemClock } from '../../src/station/clock';
import { EmbeddedLedger } from '../../src/station/hospital-ledger';
import { openDatabase } from '../../src/station/store';
import { reconcileDay } from '../../src/station/reconciliation';
import { OPERATOR, type SettlementRig } from '../../src/station/outpatient/testing/settlement-rig';
import { insured, settleOne as settle, settlementEvent, type SettledAtCentre } from './settled-events';
import { closeCentreRig, startCentreRig } from './centre-rig';

const clock = systemClock();
let dir: string;
let fx: CentreFixture;
let rig: SettlementRig;

beforeEach(async () => {
  ({ dir, fx, rig } = await startCentreRig('ledger-recon'));
});

afterEach(async () => {
  await closeCentreRig({ dir, fx, rig });
});

const settleOne = (person: { idNo: string }) => settle(rig, person);
const eventOf = (s: SettledAtCentre, kind: 'settlement' | 'settlement-cancel', stationId = 'W01') => settlementEvent(s, kind, stationId);

const today = () => localDay(clock.now(), 'Asia/Shanghai');
const setlIdOf = (s: SettledAtCentre) => s.settlement.setlinfo.setl_id;

/** 2208 at the centre: the settlement's negative twin, under a cancel setl_id of the centre's own. */
const cancelAtCentre = (s: SettledAtCentre) =>
  rig.gateway.perform(
    '2208',
    OPERATOR,
    (client, ctx) =>
      cancelOutpatientSettlement(client, ctx, {
        setl_id: setlIdOf(s),
        mdtrt_id: s.settlement.setlinfo.mdtrt_id,
        psn_no: s.payload.input.psn_no,
      }),
    { insuredRegion: s.payload.insuredRegion },
  );
const deps = () => ({ gateway: rig.gateway, operator: OPERATOR });

describe('a day of the hospital ledger reconciled with the centre', () => {
  it('balances when the ledger holds what the centre holds (two stations, one settlement cancelled)', async () => {
    const [a, b] = insured();
    const first = await settleOne(a!);
    const second = await settleOne(b!);
    const cancel = await rig.gateway.perform(
      '2208',
      OPERATOR,
      (client, ctx) =>
        cancelOutpatientSettlement(client, ctx, {
          setl_id: second.settlement.setlinfo.setl_id,
          mdtrt_id: second.settlement.setlinfo.mdtrt_id,
          psn_no: second.payload.input.psn_no,
        }),
      { insuredRegion: second.payload.insuredRegion },
    );
    expect(cancel.kind).toBe('ok');
    // Two stations' events as the embedded ledger keeps them; the day is read back from it.
    const db = openDatabase(path.join(dir, 'ledger.db'));
    const ledger = new EmbeddedLedger(db, () => clock.now());
    await ledger.append([eventOf(first, 'settlement'), eventOf(second, 'settlement', 'W02'), eventOf(second, 'settlement-cancel', 'W02')]);
    const start = dayStartUtc(today(), 'Asia/Shanghai');
    const events = await ledger.eventsBetween(start, new Date(start.getTime() + 86_400_000));
    expect(events.map((e) => [e.stationId, e.kind])).toEqual([
      ['W01', 'settlement'],
      ['W02', 'settlement'],
      ['W02', 'settlement-cancel'],
    ]);
    expect(await ledger.eventsBetween(new Date(start.getTime() - 86_400_000), start)).toEqual([]);
    db.close();

    const r = await reconcileDay(deps(), events, today());
    expect(r.groups.length).toBeGreaterThan(0);
    expect(r.groups.every((g) => g.balanced)).toBe(true);
    expect(r.groups.reduce((n, g) => n + g.totals.count, 0)).toBe(1);
    expect(r.differences).toEqual([]);
  });

  it('a settlement the ledger lacks unbalances its group; 3202 names it as the centre’s only, with what to do', async () => {
    const [a, b] = insured();
    const kept = await settleOne(a!);
    const missing = await settleOne(b!);
    const r = await reconcileDay(deps(), [eventOf(kept, 'settlement')], today());
    expect(r.groups.some((g) => !g.balanced)).toBe(true);
    const named = r.differences.find((x) => x.setlId === missing.settlement.setlinfo.setl_id);
    expect(named).toMatchObject({ kind: 'centre-only', ledger: [], suggestion: expect.stringContaining('离线') });
    expect(named!.centre!.medfeeFen).toBe(missing.settlement.setlinfo.medfee_sumamt);
    expect(r.differences.map((x) => x.setlId)).not.toContain(kept.settlement.setlinfo.setl_id);
  });

  it('a settlement only the ledger has is named as the hospital’s only, with the station and order it came from', async () => {
    const [a] = insured();
    const real = await settleOne(a!);
    const ghost = eventOf(real, 'settlement', 'W09');
    ghost.eventId = 'ghost';
    ghost.ids = { setlId: 'SETL-NEVER-AT-CENTRE', mdtrtId: real.settlement.setlinfo.mdtrt_id };
    const r = await reconcileDay(deps(), [eventOf(real, 'settlement'), ghost], today());
    expect(r.groups.some((g) => !g.balanced)).toBe(true);
    expect(r.differences).toEqual([
      expect.objectContaining({
        kind: 'hospital-only',
        setlId: 'SETL-NEVER-AT-CENTRE',
        centre: null,
        ledger: [expect.objectContaining({ stationId: 'W09' })],
      }),
    ]);
  });

  it('a cancel 3202 disagrees on is named by the settlement it cancels, so the row finds the ledger’s entries for it', async () => {
    const [a, b] = insured();
    const lost = await settleOne(a!); // cancelled at the centre, the cancel not in the ledger
    const altered = await settleOne(b!); // cancelled on both sides, the ledger's cancel a fen off
    expect((await cancelAtCentre(lost)).kind).toBe('ok');
    const cancelled = await cancelAtCentre(altered);
    expect(cancelled).toMatchObject({ kind: 'ok' });
    const twinOf = (c: typeof cancelled) => (c.kind === 'ok' ? c.output.setlinfo.setl_id : null);
    expect(twinOf(cancelled)).not.toBe(setlIdOf(altered)); // the centre's own id for the cancel, which the ledger never sees
    const offCancel = eventOf(altered, 'settlement-cancel');
    offCancel.amounts = { ...offCancel.amounts, total: offCancel.amounts.total! - 1 };

    const r = await reconcileDay(deps(), [eventOf(lost, 'settlement'), eventOf(altered, 'settlement'), offCancel], today());
    const order = (s: SettledAtCentre) => `order-${setlIdOf(s)}`;
    expect(r.differences.map((d) => [d.kind, d.setlId, d.centreRefund, d.ledger.map((e) => [e.orderId, e.refund])])).toEqual([
      [
        'differ',
        setlIdOf(altered),
        true,
        [
          [order(altered), false],
          [order(altered), true],
        ],
      ],
      ['centre-only', setlIdOf(lost), true, [[order(lost), false]]],
    ]);
    expect(r.differences[1]!.centre!.medfeeFen).toBe(-lost.settlement.setlinfo.medfee_sumamt);
  });

  it('refuses a day that is not yyyy-MM-dd, before asking the centre anything', async () => {
    await expect(reconcileDay(deps(), [], '2026/12/04')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
