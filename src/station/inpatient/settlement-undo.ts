/**
 * A discharge settlement undone from the window (AQ-17 / HM-07), by a cashier or an administrator with a reason:
 * HIS cancels its booking (the deposits it applied are back on their records), then the centre's 2305; the stay is
 * discharged and unsettled again, to be priced and settled afresh. Each step is a movement, skipped once its state is
 * reached, so a second try after a refusal or a lost answer goes on from where the first stopped.
 *
 * Money that already left the deposits is not moved back here: a stay whose surplus was refunded (to a wallet or in
 * cash at the window) or whose shortfall was paid at the bedside is refused, for the finance office.
 */
import type { OperatorView } from '../../shared/domain';
import { StationError } from '../../shared/result';
import { MOVEMENT_KINDS } from '../movements';
import type { Outbox } from '../outbox';
import { wardSettleId, type DischargeCancelPayload, type HisWardCancelPayload, type InpatientSettlementCancelPayload } from './movements';
import type { StayPaymentsRepo } from './stay-payments-repo';
import type { StayRecord, StaysRepo } from './stays-repo';

export interface SettlementUndoDeps {
  stays: StaysRepo;
  payments: Pick<StayPaymentsRepo, 'paid'>;
  outbox: Outbox;
  newMsgid: () => string;
  now: () => Date;
}

export class SettlementUndo {
  constructor(private readonly d: SettlementUndoDeps) {}

  /** `backToWard`: the discharge too (2405), the patient in hospital again — for a bill that must change. */
  async undo(operator: OperatorView, stayId: string, reason: string, backToWard = false): Promise<StayRecord> {
    const { d } = this;
    let stay = this.undoable(stayId, backToWard);
    if (stay.state === 'completed') {
      const payload: HisWardCancelPayload = { settleId: wardSettleId(stay.id, stay.settlement!.setlId), reason };
      await this.run(MOVEMENT_KINDS.hisWardSettleCancel, stay, payload, 'HIS 出院结算撤销');
      stay = d.stays.get(stay.id)!;
    }
    const visit = { operator, insuredRegion: stay.insuredRegion, psnNo: stay.psnNo, mdtrtId: stay.mdtrtId! };
    if (stay.state !== 'discharged') {
      const payload: InpatientSettlementCancelPayload = { ...visit, setlId: stay.settlement!.setlId };
      await this.run(MOVEMENT_KINDS.inpatientSettlementCancel, stay, payload, '医保住院结算撤销（2305）');
    }
    if (backToWard) {
      const payload: DischargeCancelPayload = visit;
      await this.run(MOVEMENT_KINDS.dischargeCancel, stay, payload, '医保出院撤销（2405）');
    }
    return d.stays.get(stay.id)!;
  }

  private undoable(stayId: string, backToWard: boolean): StayRecord {
    const { d } = this;
    const stay = d.stays.get(stayId);
    if (!stay) throw new StationError('NOT_FOUND', '没有这次住院登记');
    if (d.outbox.isLocked(stay.id)) throw new StationError('ORDER_BUSY', '该次住院有结果未知的交易，正在核实，请稍候');
    // A discharged stay: its settlement already undone, the discharge asked after (a 2405 refused before, or now).
    if (backToWard && stay.state === 'discharged' && stay.mdtrtId) return stay;
    if ((stay.state !== 'completed' && stay.state !== 'settled') || !stay.settlement || !stay.mdtrtId)
      throw new StationError('CONFLICT', '该次住院没有可撤销的出院结算');
    if (stay.surplus?.refunds.some((r) => r.state !== 'pending'))
      throw new StationError('CONFLICT', '预交金余额已退还患者，不能在窗口撤销出院结算，请联系财务处理');
    if (d.payments.paid(stay.id).length > 0)
      throw new StationError('CONFLICT', '患者已在床旁补缴差额，不能在窗口撤销出院结算，请联系财务处理');
    return stay;
  }

  private async run<P>(kind: string, stay: StayRecord, payload: P, what: string): Promise<void> {
    const r = await this.d.outbox.run<P, unknown>(kind, { orderId: stay.id, externalId: this.d.newMsgid(), payload });
    if (r.state === 'failed') throw new StationError('CENTRE_REJECTED', `${what}失败：${r.detail}`);
    if (r.state === 'unknown') throw new StationError('OUTCOME_UNKNOWN', `${what}结果未知 — 正在自动核实，请稍候`);
  }
}
