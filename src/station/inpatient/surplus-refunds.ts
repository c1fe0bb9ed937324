/**
 * The surplus of a discharge's deposits going back (AQ-17): the system suggests the WeChat / Alipay records that
 * cover it (surplus-plan.ts), the nurse confirms or changes the ticks, and each record is refunded on its channel and
 * then recorded at HIS — or, when the wallet records do not cover it, the stay shows the refund as pending at the
 * window. The plan is written to the stay before the first refund, so a restart goes on with the same refunds (the
 * same out_refund_no and refund_id) rather than planning again.
 */
import { randomUUID } from 'node:crypto';
import type { HisStay, HisWardClient } from '../../insurance/his';
import { StationError } from '../../shared/result';
import { MOVEMENT_KINDS } from '../movements';
import type { Outbox } from '../outbox';
import type { DepositCashRefundPayload, DepositChannelRefundPayload, DepositRecordPayload } from './movements';
import { planSurplusRefund, suggestSurplusRefund, type RefundableDeposit, type SurplusPlan } from './surplus-plan';
import type { StayRecord, StaysRepo, StaySurplus } from './stays-repo';

export interface SurplusRefundDeps {
  his: Pick<HisWardClient, 'stay'>;
  stays: StaysRepo;
  outbox: Outbox;
  now: () => Date;
}

const newId = (prefix: string) => `${prefix}${randomUUID().replaceAll('-', '').slice(0, 24)}`;

export class SurplusRefunds {
  constructor(private readonly d: SurplusRefundDeps) {}

  /** What the system would do with the surplus, for the nurse to see and change. */
  async suggest(stayId: string): Promise<{ surplusFen: number; deposits: RefundableDeposit[]; plan: SurplusPlan }> {
    const stay = this.completed(stayId);
    const deposits = refundable(await this.hisStay(stay.iptNo));
    const surplusFen = stay.booking!.surplusFen;
    return { surplusFen, deposits, plan: suggestSurplusRefund(deposits, surplusFen) };
  }

  /**
   * Refunds the surplus to the ticked records (the system's suggestion when none are given), or leaves it pending at
   * the window when the wallet records do not cover it. Goes on with a plan already written.
   */
  async refund(stayId: string, ticked?: readonly string[]): Promise<StayRecord> {
    const { d } = this;
    let stay = this.completed(stayId);
    if (!stay.surplus) {
      const deposits = refundable(await this.hisStay(stay.iptNo));
      const surplusFen = stay.booking!.surplusFen;
      let plan: SurplusPlan;
      try {
        plan = ticked ? planSurplusRefund(deposits, surplusFen, ticked) : suggestSurplusRefund(deposits, surplusFen);
      } catch (e) {
        throw new StationError('INVALID_ARGUMENT', `所选预交金记录不能原路退回全部余额：${(e as Error).message}`);
      }
      d.stays.update(stay.id, { surplus: surplusOf(plan, surplusFen, deposits) }, d.now());
      stay = d.stays.get(stay.id)!;
    }
    for (const r of stay.surplus!.refunds) {
      if (r.state === 'pending') {
        const payload: DepositChannelRefundPayload = {
          refundId: r.refundId,
          outTradeNo: r.outTradeNo,
          outRefundNo: r.outRefundNo,
          depositFen: r.depositFen,
          amountFen: r.amountFen,
        };
        await this.run(MOVEMENT_KINDS.depositChannelRefund, stay.id, r.outRefundNo, payload, '预交金原路退款');
      }
      const now = d.stays.get(stay.id)!.surplus!.refunds.find((x) => x.refundId === r.refundId)!;
      if (now.state === 'paid-back') {
        const payload: DepositRecordPayload = {
          refundId: r.refundId,
          depositNo: r.depositNo,
          amountFen: r.amountFen,
          refundTradeNo: now.refundTradeNo,
        };
        await this.run(MOVEMENT_KINDS.depositRecord, stay.id, r.refundId, payload, 'HIS 预交金退款登记');
      }
    }
    return d.stays.get(stay.id)!;
  }

  /** The surpluses the bedside sent to the window that the cashier has not paid out in full yet, oldest first. */
  pendingAtWindow(): StayRecord[] {
    return this.d.stays
      .inStates(['completed'])
      .filter((s) => s.surplus?.to === 'window' && s.surplus.amountFen > 0)
      .filter((s) => s.surplus!.refunds.length === 0 || s.surplus!.refunds.some((r) => r.state !== 'recorded'))
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  }

  /**
   * The cashier pays a surplus sent to the window out in cash (confirmed by key, the notes in hand): the deposits
   * with a balance, oldest first, each paid out of the drawer and then recorded at HIS as refunded in cash. The split
   * is written to the stay before the first payout, so a retry goes on with the same refund ids.
   */
  async payOutAtWindow(stayId: string, operatorId: string): Promise<StayRecord> {
    const { d } = this;
    let stay = this.completed(stayId);
    if (stay.surplus?.to !== 'window') throw new StationError('CONFLICT', '该次住院没有待窗口办理的预交金退款');
    if (stay.surplus.refunds.length === 0) {
      const deposits = refundable(await this.hisStay(stay.iptNo)).sort((a, b) => a.paidAt.localeCompare(b.paidAt));
      d.stays.update(stay.id, { surplus: { ...stay.surplus, refunds: cashRefunds(deposits, stay.surplus.amountFen) } }, d.now());
      stay = d.stays.get(stay.id)!;
    }
    for (const r of stay.surplus!.refunds) {
      if (r.state === 'pending') {
        const payload: DepositCashRefundPayload = {
          refundId: r.refundId,
          depositNo: r.depositNo,
          outRefundNo: r.outRefundNo,
          refundFee: r.amountFen,
          operatorId,
        };
        await this.run(MOVEMENT_KINDS.depositCashRefund, stay.id, r.outRefundNo, payload, '预交金现金退款');
      }
      const now = d.stays.get(stay.id)!.surplus!.refunds.find((x) => x.refundId === r.refundId)!;
      if (now.state === 'paid-back') {
        const payload: DepositRecordPayload = {
          refundId: r.refundId,
          depositNo: r.depositNo,
          amountFen: r.amountFen,
          refundTradeNo: now.refundTradeNo,
          to: 'cash',
        };
        await this.run(MOVEMENT_KINDS.depositRecord, stay.id, r.refundId, payload, 'HIS 预交金退款登记');
      }
    }
    return d.stays.get(stay.id)!;
  }

  private completed(stayId: string): StayRecord {
    const stay = this.d.stays.get(stayId);
    if (!stay) throw new StationError('NOT_FOUND', '没有这次住院登记');
    if (stay.state !== 'completed' || !stay.booking) throw new StationError('CONFLICT', '出院结算尚未完成，不能退预交金余额');
    if (this.d.outbox.isLocked(stay.id)) throw new StationError('ORDER_BUSY', '该次住院有结果未知的交易，正在核实，请稍候');
    return stay;
  }

  private async hisStay(iptNo: string): Promise<HisStay> {
    const his = await this.d.his.stay({ iptNo });
    if (his.kind === 'rejected') throw new StationError('NOT_FOUND', `HIS：${his.message}`);
    if (his.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', `HIS 无应答，请稍后重试（${his.detail}）`);
    return his.value;
  }

  private async run<P>(kind: string, stayId: string, externalId: string, payload: P, what: string): Promise<void> {
    const r = await this.d.outbox.run<P, unknown>(kind, { orderId: stayId, externalId, payload });
    if (r.state === 'failed') throw new StationError('CENTRE_REJECTED', `${what}失败：${r.detail}`);
    if (r.state === 'unknown') throw new StationError('OUTCOME_UNKNOWN', `${what}结果未知 — 正在自动核实，请稍候`);
  }
}

/** A deposit record as HIS lists it: what the plan needs, and the trade a channel refund names. */
type DepositRecord = RefundableDeposit & { outTradeNo: string; amountFen: number };

function refundable(his: HisStay): DepositRecord[] {
  return (his.deposits ?? []).map((x) => ({
    depositNo: x.depositNo,
    channel: x.channel,
    balanceFen: x.balanceFen,
    paidAt: x.paidAt,
    outTradeNo: x.outTradeNo,
    amountFen: x.amountFen,
  }));
}

/** The surplus out of the deposits with a balance, in the order given, each paid out in cash. */
function cashRefunds(deposits: DepositRecord[], surplusFen: number): StaySurplus['refunds'] {
  const refunds: StaySurplus['refunds'] = [];
  let left = surplusFen;
  for (const x of deposits) {
    const amountFen = Math.min(left, x.balanceFen);
    if (amountFen <= 0) continue;
    left -= amountFen;
    refunds.push({
      refundId: newId('YJTK'),
      depositNo: x.depositNo,
      channel: 'cash',
      outTradeNo: x.outTradeNo,
      depositFen: x.amountFen,
      amountFen,
      outRefundNo: newId('YJXJ'),
      state: 'pending',
      refundTradeNo: '',
      detail: '',
    });
  }
  if (left > 0) throw new StationError('CONFLICT', 'HIS 预交金余额不足以退还结算余额，请核对 HIS 预交金记录');
  return refunds;
}

function surplusOf(plan: SurplusPlan, surplusFen: number, deposits: DepositRecord[]): StaySurplus {
  if (plan.kind === 'nothing') return { to: 'channels', amountFen: 0, refunds: [] };
  if (plan.kind === 'window') return { to: 'window', amountFen: surplusFen, refunds: [] };
  return {
    to: 'channels',
    amountFen: surplusFen,
    refunds: plan.refunds.map((r) => {
      const deposit = deposits.find((x) => x.depositNo === r.depositNo)!;
      return {
        refundId: newId('YJTK'),
        depositNo: r.depositNo,
        channel: r.channel,
        outTradeNo: deposit.outTradeNo,
        depositFen: deposit.amountFen,
        amountFen: r.amountFen,
        outRefundNo: newId('YJTF'),
        state: 'pending',
        refundTradeNo: '',
        detail: '',
      };
    }),
  };
}
