/**
 * 中途结算 (issue 15): the bill to date settled while the patient stays in the ward. Every fee line uploaded, the
 * centre's 2304 with mid_setl_flag 1 for the lines up to HIS's newest, then HIS books a 'midway' settlement with the
 * deposits applied to its cash part. The stay stays admitted: later lines accrue, and the discharge settles only the
 * lines after it (the centre and HIS both bill only unsettled lines). The same movements as the discharge's, in
 * their midway mode. Nothing is refunded mid-stay: what the deposits do not use stays on deposit.
 *
 * A shortfall (deposits below the cash part) is refused before the 2304: the hospital asks for a deposit top-up at
 * HIS first. Should the 2304's cash part come out above the deposits after all, the settlement waits unbooked and
 * 中途结算 again (after the top-up) books it — as it does after a stop between the 2304 and HIS's booking.
 */
import { StationError } from '../../shared/result';
import type { OperatorView } from '../../shared/domain';
import type { Settlement } from '../../insurance/nhsa';
import type { HisStay, HisWardClient } from '../../insurance/his';
import { fenToYuan } from '../../shared/money';
import { MOVEMENT_KINDS } from '../movements';
import type { Outbox } from '../outbox';
import { wardSettleId, type HisWardSettlePayload, type InpatientSettlementPayload } from './movements';
import { planDeposits } from './deposit-plan';
import type { InpatientService } from './inpatient-service';
import type { MidstaySettlement } from './stay-settlements-repo';
import type { StayRecord, StaysRepo } from './stays-repo';

export interface MidstayDeps {
  service: Pick<InpatientService, 'preSettle' | 'run' | 'settlementInput'>;
  his: Pick<HisWardClient, 'stay'>;
  stays: StaysRepo;
  outbox: Pick<Outbox, 'isLocked'>;
}

export class MidstaySettlements {
  constructor(private readonly d: MidstayDeps) {}

  /**
   * 2304 (mid_setl_flag 1) for the bill to date and HIS's 'midway' booking; or, with a settlement the centre made
   * and HIS has not booked (a stop, a short deposit), that booking. Answers the settlement as the stay's list has it.
   */
  async settle(operator: OperatorView, stayId: string): Promise<MidstaySettlement> {
    const { d } = this;
    const stay = this.admitted(stayId);
    const waiting = d.stays.midway.unbooked(stay.id);
    if (waiting) return this.book(stay, waiting.settlement);
    const his = await this.hisStay(stay.iptNo);
    if (his.state !== 'in') throw new StationError('CONFLICT', '已开出院医嘱，请办理出院结算，不能中途结算');
    const bill = await d.service.preSettle(operator, stay.id);
    if (bill.medfeeFen <= 0) throw new StationError('CONFLICT', '没有未结算的费用，不需要中途结算');
    const short = planDeposits(depositsOf(await this.hisStay(stay.iptNo)), bill.cashFen).shortfallFen;
    if (short > 0)
      throw new StationError('CONFLICT', `预交金余额不足以支付中途结算的个人自付部分（差 ${fenToYuan(short)} 元），请先补交预交金`);
    const payload: InpatientSettlementPayload = {
      operator,
      insuredRegion: stay.insuredRegion,
      psnNo: stay.psnNo,
      uptoLine: bill.uptoLine,
      mode: 'midway',
      input: d.service.settlementInput(stay, bill.medfeeFen, '1'),
    };
    const made = await d.service.run<InpatientSettlementPayload, Settlement>(MOVEMENT_KINDS.inpatientSettlement, stay, payload, '中途结算');
    const settled = d.stays.midway.of(stay.id).find((s) => s.settlement.setlId === made.setlinfo.setl_id);
    if (!settled) throw new StationError('INTERNAL', '中途结算已完成但未记入本次住院');
    return this.book(stay, settled.settlement);
  }

  /** The stay's mid-stay settlements, oldest first. */
  list(stayId: string): MidstaySettlement[] {
    return this.d.stays.midway.of(stayId);
  }

  private async book(stay: StayRecord, s: MidstaySettlement['settlement']): Promise<MidstaySettlement> {
    const { d } = this;
    const plan = planDeposits(depositsOf(await this.hisStay(stay.iptNo)), s.cashFen);
    if (plan.shortfallFen > 0)
      throw new StationError(
        'CONFLICT',
        `中途结算已在医保中心完成，但预交金余额不足（差 ${fenToYuan(plan.shortfallFen)} 元）：请补交预交金后再按中途结算完成 HIS 登记`,
      );
    const booking: HisWardSettlePayload = {
      settleId: wardSettleId(stay.id, s.setlId),
      iptNo: stay.iptNo,
      kind: 'midway',
      uptoLine: s.uptoLine,
      mdtrtId: stay.mdtrtId!,
      setlId: s.setlId,
      medfeeFen: s.medfeeFen,
      fundFen: s.fundFen,
      acctFen: s.acctFen,
      cashFen: s.cashFen,
      deposits: plan.applied,
      payments: [],
      // Nothing goes back mid-stay: what the deposits did not use stays on deposit for the rest of the stay.
      surplusFen: 0,
    };
    await d.service.run(MOVEMENT_KINDS.hisWardSettle, stay, booking, 'HIS 中途结算登记');
    return d.stays.midway.of(stay.id).find((x) => x.settlement.setlId === s.setlId)!;
  }

  private admitted(stayId: string): StayRecord {
    const stay = this.d.stays.get(stayId);
    if (!stay) throw new StationError('NOT_FOUND', '没有这次住院登记');
    if (this.d.outbox.isLocked(stay.id)) throw new StationError('ORDER_BUSY', '该次住院有结果未知的交易，正在核实，请稍候');
    if (stay.state !== 'admitted' || !stay.mdtrtId)
      throw new StationError('CONFLICT', `该次住院当前状态（${stay.state}）不能中途结算，仅在院患者可以`);
    return stay;
  }

  private async hisStay(iptNo: string): Promise<HisStay> {
    const his = await this.d.his.stay({ iptNo });
    if (his.kind === 'rejected') throw new StationError('NOT_FOUND', `HIS：${his.message}`);
    if (his.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', `HIS 无应答，请稍后重试（${his.detail}）`);
    return his.value;
  }
}

const depositsOf = (his: HisStay) => (his.deposits ?? []).map((x) => ({ depositNo: x.depositNo, balanceFen: x.balanceFen }));
