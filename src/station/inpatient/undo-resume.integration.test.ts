/**
 * AQ-17 / HM-07: the window's undo of a discharge settlement finishes by itself. Its record (who, why, back to the
 * ward) is written before HIS's cancel, so a station stopped between HIS's cancel and the centre's 2305 finishes the
 * 2305 when it starts again; a lost 2305 answer is resolved by the outbox and the undo goes on (2405); a 2305 the
 * centre refuses stops the undo for a person and is never sent again by itself. Real parts: the NHSA centre and HIS
 * simulators on 127.0.0.1, the station's SQLite file and outbox, restarted on the same data dir.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CentreFixture } from '../../simulators/nhsa';
import type { HisSimulator } from '../../simulators/his';
import type { OperatorView } from '../../shared/domain';
import { MOVEMENT_KINDS } from '../movements';
import type { Outbox } from '../outbox';
import { NURSE, type InpatientRig } from './testing/inpatient-rig';
import { SettlementUndo } from './settlement-undo';
import { UndoSteps } from './settlement-undo-steps';
import { startInpatientWorld, type InpatientWorld } from '../../../test/harness/inpatient-world';

/** 黄志强: resident scheme (390), no personal account — his self-pay share is a cash part. */
const RESIDENT = { hisId: 'P000103', idNo: '350211195203054010' };
const CASHIER: OperatorView = { id: 'sf001', name: '王收费', role: 'cashier' };
const REASON = '费用录入有误';

let w: InpatientWorld;
let fx: CentreFixture;
let his: HisSimulator;
let rig: InpatientRig;

beforeEach(async () => {
  w = await startInpatientWorld('undo-resume');
  ({ fx, his, rig } = w);
});
afterEach(() => w.close());

/** Admitted, a day charged, a cash deposit that covers the cash part; discharged, settled and booked at HIS. */
async function completedStay(): Promise<{ stayId: string; setlId: string; psnNo: string }> {
  const iptNo = his.control.ward.admit({ patientId: RESIDENT.hisId, wardCode: 'W0301' });
  const admitted = await rig.service.admit(NURSE, iptNo, await rig.person(RESIDENT.idNo));
  his.control.ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'Y0006', quantity: '2' }] });
  his.control.ward.deposit({ iptNo, channel: 'cash', amountFen: 30_000 });
  his.control.ward.orderDischarge(iptNo);
  await rig.service.discharge(NURSE, admitted.id);
  const stay = await rig.service.settleDischarge(NURSE, admitted.id);
  expect(stay.state).toBe('completed');
  return { stayId: stay.id, setlId: stay.settlement!.setlId, psnNo: stay.psnNo };
}

const centreState = (setlId: string) =>
  fx.centre.control
    .books()
    .settlements.filter((s) => s.setl_id === setlId)
    .map((s) => s.state);
const sent = (infno: string) => fx.centre.control.requests().filter((r) => r.infno === infno);
const hisStates = () => his.control.ward.wardBooks().settlements.map((s) => s.state);

describe('a discharge settlement undo left between its steps', () => {
  it('a station stopped between HIS’s cancel and 2305 sends the 2305 itself when it starts again on the same data dir', async () => {
    const { stayId, setlId } = await completedStay();
    // The station dies once HIS's cancel is recorded: the 2305 is never written (a throw at the seam stands for it).
    const dies: Outbox = new Proxy(rig.outbox, {
      get(target, key) {
        if (key === 'run')
          return (kind: string, args: Parameters<Outbox['run']>[1]) =>
            kind === MOVEMENT_KINDS.inpatientSettlementCancel ? Promise.reject(new Error('工作站被终止')) : target.run(kind, args);
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const steps = new UndoSteps({ stays: rig.stays, outbox: dies, newMsgid: rig.newMsgid, now: () => new Date() });
    const undo = new SettlementUndo({ stays: rig.stays, payments: rig.payments, outbox: dies, steps });
    await expect(undo.undo(CASHIER, stayId, REASON)).rejects.toThrow('工作站被终止');
    expect(rig.stays.get(stayId)!.state).toBe('settled');
    expect(hisStates()).toEqual(['cancelled']);
    expect(centreState(setlId)).toEqual(['settled']);
    // Meanwhile nothing is settled on the stay: the bedside is told the undo is under way.
    await expect(rig.service.settleDischarge(NURSE, stayId)).rejects.toMatchObject({ code: 'ORDER_BUSY' });

    const again = await w.restart();
    expect(await again.started).toBe(1);
    expect(again.stays.get(stayId)!.state).toBe('discharged');
    // The screens are told once the station finished it (the bedside and the window read the stay again).
    expect(again.undoTold).toEqual([stayId]);
    expect(centreState(setlId)).toEqual(['cancelled']);
    expect(sent('2305')).toHaveLength(1);
    // The undo's record is gone with its last step: nothing more to carry on.
    expect(again.stays.undos.get(stayId)).toBeUndefined();
    expect(await again.undoSteps.resume()).toBe(0);
  });

  it('a 2305 whose answer is lost is resolved by the outbox, and the undo goes on to 2405 by itself', async () => {
    const { stayId, setlId } = await completedStay();
    fx.centre.control.inject({ infno: '2305', fault: { kind: 'drop-response' }, times: 1 });
    await expect(rig.undo.undo(CASHIER, stayId, REASON, true)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(rig.outbox.isLocked(stayId)).toBe(true);
    expect(sent('2405')).toHaveLength(0);

    // The window's own run told the screens as it ended (in doubt); the station's run after the resolver tells again.
    expect(rig.undoTold).toEqual([stayId]);
    await rig.outbox.resolveNow();
    await Promise.all(rig.steps);
    expect(rig.undoTold).toEqual([stayId, stayId]);
    expect(rig.outbox.isLocked(stayId)).toBe(false);
    expect(centreState(setlId)).toEqual(['cancelled']);
    expect(sent('2405')).toHaveLength(1);
    expect(rig.stays.get(stayId)!.state).toBe('admitted');
    expect(rig.stays.undos.get(stayId)).toBeUndefined();
    expect(new Set(sent('2305').map((r) => r.msgid)).size).toBe(1);
  });

  it('a 2305 the centre refuses stops the undo for a person with the reason, and is not sent again until a person asks', async () => {
    const { stayId, setlId } = await completedStay();
    fx.centre.control.inject({ infno: '2305', fault: { kind: 'business-error', errMsg: '该结算已纳入清算，不能撤销' }, times: 1 });
    await expect(rig.undo.undo(CASHIER, stayId, REASON)).rejects.toMatchObject({ code: 'CENTRE_REJECTED' });
    const stopped = rig.stays.undos.get(stayId)!;
    expect(stopped).toMatchObject({ reason: REASON, backToWard: false, operator: CASHIER });
    expect(stopped.stopped).toContain('该结算已纳入清算，不能撤销');
    expect(rig.stays.get(stayId)!.state).toBe('settled');

    // Neither a restart nor the resolver's idle pass sends it again; the bedside is told why it waits.
    const again = await w.restart();
    expect(await again.started).toBe(0);
    await again.outbox.resolveNow();
    await Promise.all(again.steps);
    expect(sent('2305')).toHaveLength(1);
    await expect(again.service.settleDischarge(NURSE, stayId)).rejects.toThrow('该结算已纳入清算，不能撤销');

    // A person, the cause fixed at the centre, asks again: the undo goes on at 2305 (HIS's cancel is not repeated).
    const done = await again.undo.undo(CASHIER, stayId, '清算已退回，继续撤销');
    expect(done.state).toBe('discharged');
    expect(centreState(setlId)).toEqual(['cancelled']);
    expect(hisStates()).toEqual(['cancelled']);
    expect(again.stays.undos.get(stayId)).toBeUndefined();
  });
});
