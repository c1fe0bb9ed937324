/**
 * Outpatient settlement at the window or in the clinic room (HX-08..HX-29), as a saga over the outbox:
 *
 *   HIS orders → 2201 registration → 2204 fee upload → 2206 preview (shown) → 2207 settlement
 *     → cash share 0: HIS confirm → completed
 *     → cash share > 0: awaiting payment → payment code (micropay) → HIS confirm → completed
 *                                            payment fails → 2208 settlement cancel → reversed
 *
 * Every step that changes state elsewhere is an outbox movement, written before it is sent. A lost answer puts
 * the order "in doubt" (locked); when the resolver finishes that movement, `continueAfter` takes the saga's next
 * step. Nothing is retried blind: a lost 2207 is reversed by 2601 first, a lost micropay is queried, then reversed.
 */
import { randomUUID } from 'node:crypto';
import { StationError } from '../../shared/result';
import { fenToYuan } from '../../shared/money';
import type { OperatorView, OrderState, OrderView, SettlementSplitView } from '../../shared/domain';
import type { HisClient, HisPaymentLine } from '../../insurance/his';
import type { PayChannelClient, Payment } from '../../insurance/pay-channel';
import { preSettleOutpatient, type Settlement, type SettlementInput } from '../../insurance/nhsa';
import type { NhsaGateway } from '../insurance/nhsa-gateway';
import type { Db } from '../store/database';
import type { PersonsRepo } from '../store/persons-repo';
import type { Outbox, RunResult } from '../outbox/outbox';
import type { FinalState } from '../outbox/movement';
import type { ScanRegistry } from '../scans';
import type { EventBus } from '../events';
import type { OrdersRepo, OrderRecord } from './orders-repo';
import { outpatientSettlementMovement, SETTLEMENT_KIND, type SettlementPayload } from './settlement-movement';
import {
  feesCancelMovement,
  feesMovement,
  hisConfirmMovement,
  KINDS,
  micropayMovement,
  registrationCancelMovement,
  registrationMovement,
  settlementCancelMovement,
  type FeesCancelPayload,
  type FeesPayload,
  type HisConfirmPayload,
  type MicropayPayload,
  type RegistrationCancelPayload,
  type RegistrationPayload,
  type SettlementCancelPayload,
} from './movements';

export interface OutpatientDeps {
  db: Db;
  orders: OrdersRepo;
  persons: PersonsRepo;
  outbox: Outbox;
  gateway: NhsaGateway;
  his: HisClient;
  pay: PayChannelClient;
  scans: ScanRegistry;
  bus: EventBus;
  newMsgid: () => string;
  now: () => Date;
  /** How long the patient has to pay the cash share (HX-33). */
  payWindowMs: number;
  /** The movement kinds of an order that succeeded (from the outbox's intents). */
  succeededKinds: (orderId: string) => Set<string>;
  /** The order's most recently finished movement. */
  lastFinished: (orderId: string) => { kind: string; final: FinalState } | undefined;
}

const MED_TYPE_GENERAL_OUTPATIENT = '11';

export class OutpatientService {
  constructor(private readonly d: OutpatientDeps) {
    const onFinal = () => {}; // business effects are applied by the saga step that awaited or was announced
    d.outbox.register(registrationMovement({ gateway: d.gateway, newMsgid: d.newMsgid, onFinal }));
    d.outbox.register(feesMovement({ gateway: d.gateway, newMsgid: d.newMsgid, onFinal }));
    d.outbox.register(outpatientSettlementMovement({ gateway: d.gateway, newMsgid: d.newMsgid, onFinal }));
    d.outbox.register(settlementCancelMovement({ gateway: d.gateway, newMsgid: d.newMsgid, onFinal }));
    d.outbox.register(feesCancelMovement({ gateway: d.gateway, newMsgid: d.newMsgid, onFinal }));
    d.outbox.register(registrationCancelMovement({ gateway: d.gateway, newMsgid: d.newMsgid, onFinal }));
    d.outbox.register(hisConfirmMovement({ his: d.his, onFinal }));
    d.outbox.register(
      micropayMovement({
        pay: d.pay,
        onFinal: (db, intent, final, payment) =>
          this.d.orders.updatePayment(
            intent.payload.outTradeNo,
            final === 'succeeded' && payment
              ? { state: 'paid', channel: payment.wallet, transactionId: payment.transactionId }
              : { state: final === 'compensated' ? 'reversed' : 'failed' },
            this.d.now(),
          ),
      }),
    );
  }

  /** HX-08..10: the identified patient's unsettled HIS orders, kept as station orders. */
  async listOrders(operator: OperatorView, identificationId: string): Promise<OrderView[]> {
    const ident = this.d.persons.identification(identificationId);
    if (!ident) throw new StationError('NOT_FOUND', '没有这次身份识别记录，请重新识别患者');
    const patient = await this.d.his.patient({ idNo: ident.person.certNo });
    if (patient.kind === 'rejected') throw new StationError('NOT_FOUND', `HIS 中没有该患者：${patient.message}`);
    if (patient.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', 'HIS 无法连接，请稍后重试');
    const orders = await this.d.his.unsettledOrders(patient.value.patientId);
    if (orders.kind !== 'ok') throw new StationError('CENTRE_UNREACHABLE', 'HIS 无法返回待缴费处方，请稍后重试');
    const insurance = ident.person.insurances[0];
    if (!insurance) throw new StationError('CENTRE_REJECTED', '该患者没有有效的参保记录');
    const ids = orders.value.map((o) =>
      this.d.orders.upsertFromHis(
        o,
        {
          identificationId,
          psnNo: ident.person.psnNo,
          insutype: insurance.insutype,
          insuredRegion: insurance.insuredRegion,
          cert: { type: ident.certType, no: ident.certNo },
          operatorId: operator.id,
        },
        randomUUID(),
        this.d.now(),
      ),
    );
    return ids.map((id) => this.view(id));
  }

  /** HX-13..15: register (2201), upload the fee lines (2204) and pre-settle (2206); the split is shown. */
  async preSettle(operator: OperatorView, orderId: string): Promise<OrderView> {
    let order = this.order(orderId, ['open', 'previewed']);
    const base = { operator, insuredRegion: order.insuredRegion, psnNo: order.psnNo };
    if (!order.mdtrtId) {
      const input = {
        psn_no: order.psnNo,
        insutype: order.insutype,
        begntime: nhsaTime(order.createdAt),
        mdtrt_cert_type: order.cert.type,
        mdtrt_cert_no: order.cert.no,
        ipt_otp_no: order.hisOrderNo,
        atddr_no: operator.id,
        dr_name: order.doctorName || operator.name,
        dept_code: order.deptCode || 'MZ',
        dept_name: order.deptName || '门诊',
        caty: order.deptCode || 'MZ',
      };
      const r = await this.run<RegistrationPayload, { mdtrt_id: string }>(KINDS.registration, order, { ...base, input });
      this.d.orders.update(order.id, { mdtrtId: r.mdtrt_id }, this.d.now());
      order = this.order(orderId);
    }
    if (!order.chrgBchno) {
      const chrgBchno = `${order.hisOrderNo}`.slice(-30);
      const lines = order.lines.map((l) => ({
        feedetl_sn: l.feedetlSn,
        mdtrt_id: order.mdtrtId!,
        psn_no: order.psnNo,
        chrg_bchno: chrgBchno,
        fee_ocur_time: nhsaTime(order.createdAt),
        med_list_codg: l.medListCodg,
        medins_list_codg: l.hisItemCode,
        det_item_fee_sumamt: l.amountFen as never,
        cnt: l.quantity,
        pric: fenToYuan(l.unitPriceFen),
        bilg_dept_codg: order.deptCode || 'MZ',
        bilg_dept_name: order.deptName || '门诊',
        bilg_dr_codg: operator.id,
        bilg_dr_name: order.doctorName || operator.name,
        rxno: l.rxNo,
      }));
      const fees = await this.run<FeesPayload, { result: { feedetl_sn: string; chrgitm_lv: string }[] }>(KINDS.fees, order, {
        ...base,
        mdtrtId: order.mdtrtId!,
        chrgBchno,
        lines,
      });
      this.d.db.transaction(() => {
        this.d.orders.update(order.id, { chrgBchno, feeResults: fees }, this.d.now());
        const setLevel = this.d.db.prepare('UPDATE outpatient_order_lines SET charge_level = ? WHERE order_id = ? AND feedetl_sn = ?');
        for (const r of fees.result) setLevel.run(r.chrgitm_lv, order.id, r.feedetl_sn);
      })();
      order = this.order(orderId);
    }
    const pre = await this.d.gateway.perform('2206', operator, (c, ctx) => preSettleOutpatient(c, ctx, this.settlementInput(order)), {
      insuredRegion: order.insuredRegion,
    });
    if (pre.kind === 'rejected') throw new StationError('CENTRE_REJECTED', `预结算失败：${pre.errMsg}`);
    if (pre.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', '预结算无应答，请稍后重试（预结算不产生费用）');
    this.d.orders.update(order.id, { state: 'previewed', split: splitOf(pre.output), settlement: pre.output }, this.d.now());
    return this.changed(order.id);
  }

  /** HX-16..19: settle (2207); with no cash share, confirm with HIS and finish. */
  async settle(operator: OperatorView, orderId: string): Promise<OrderView> {
    const order = this.order(orderId, ['previewed']);
    const s = await this.run<SettlementPayload, Settlement>(SETTLEMENT_KIND, order, {
      operator,
      insuredRegion: order.insuredRegion,
      input: this.settlementInput(order),
    });
    const split = splitOf(s);
    this.d.orders.update(
      order.id,
      {
        setlId: s.setlinfo.setl_id,
        split,
        settlement: s,
        state: split.cashFen > 0 ? 'awaiting-payment' : 'insurance-settled',
        payBefore: split.cashFen > 0 ? new Date(this.d.now().getTime() + this.d.payWindowMs).toISOString() : null,
        detail: '',
      },
      this.d.now(),
    );
    if (split.cashFen === 0) await this.confirmWithHis(orderId);
    return this.changed(order.id);
  }

  /** HX-23/24: the patient's payment code, scanned by the scan box, pays the cash share. */
  async payByCode(_operator: OperatorView, orderId: string, scanId: string): Promise<OrderView> {
    const order = this.order(orderId, ['awaiting-payment']);
    const scan = this.d.scans.take(scanId);
    if (!scan) throw new StationError('SCAN_EXPIRED', '付款码已失效，请患者刷新付款码后重新扫码');
    if (scan.kind !== 'wechat-pay' && scan.kind !== 'alipay-pay') throw new StationError('INVALID_ARGUMENT', '这不是微信或支付宝付款码');
    const outTradeNo = `${order.hisOrderNo}P${Date.now().toString().slice(-8)}`.slice(-32);
    const amount = order.split!.cashFen;
    this.d.orders.insertPayment({ id: randomUUID(), orderId, outTradeNo, amountFen: amount }, this.d.now());
    const payload: MicropayPayload = { outTradeNo, totalFee: amount, subject: `门诊缴费 ${order.hisOrderNo}`, authCode: scan.code };
    const r = await this.d.outbox.run<MicropayPayload, Payment>(KINDS.micropay, { orderId, externalId: outTradeNo, payload });
    if (r.state === 'unknown') return this.inDoubt(orderId, '正在确认付款结果（患者可能正在输入密码）');
    if (r.state === 'failed') {
      this.d.orders.updatePayment(outTradeNo, { state: 'failed' }, this.d.now());
      this.d.orders.update(orderId, { detail: `付款失败：${r.detail}，可请患者换码重试或撤销结算` }, this.d.now());
      return this.changed(orderId);
    }
    this.d.orders.updatePayment(outTradeNo, { state: 'paid', channel: r.output.wallet, transactionId: r.output.transactionId }, this.d.now());
    await this.confirmWithHis(orderId);
    return this.changed(orderId);
  }

  /** HX-28: the self-pay part failed or the patient left: cancel the insurance settlement (2208). */
  async cancelSettlement(operator: OperatorView, orderId: string): Promise<OrderView> {
    const order = this.order(orderId, ['awaiting-payment']);
    const payload: SettlementCancelPayload = {
      operator,
      insuredRegion: order.insuredRegion,
      psnNo: order.psnNo,
      setlId: order.setlId!,
      mdtrtId: order.mdtrtId!,
    };
    const r = await this.d.outbox.run<SettlementCancelPayload, Settlement>(KINDS.settlementCancel, {
      orderId,
      externalId: this.d.newMsgid(),
      payload,
    });
    if (r.state === 'unknown') return this.inDoubt(orderId, '结算撤销结果未知 — 正在核实');
    if (r.state === 'failed') throw new StationError('CENTRE_REJECTED', `医保结算撤销失败：${r.detail}`);
    this.d.orders.update(orderId, { state: 'reversed', payBefore: null, detail: '医保结算已撤销' }, this.d.now());
    return this.changed(orderId);
  }

  /**
   * HX-33..35: an order whose top-up window passed is expired and stops waiting; its insurance settlement is
   * cancelled (2208) and its registration reversed (2202), each through the outbox, resuming after a crash from
   * the last step done. Runs on a timer and at start.
   */
  async sweepExpired(): Promise<number> {
    const now = this.d.now().toISOString();
    const due = this.d.db
      .prepare(
        `SELECT id FROM outpatient_orders
         WHERE (state = 'awaiting-payment' AND pay_before IS NOT NULL AND pay_before <= ?) OR state = 'expiring'`,
      )
      .all(now) as { id: string }[];
    let expired = 0;
    for (const { id } of due) {
      if (this.d.outbox.isLocked(id)) continue; // a payment or a cancel of it is still being resolved
      try {
        if (await this.expire(id)) expired += 1;
      } catch (e) {
        // An answer lost on the way: the outbox resolves it, the next sweep resumes from there.
        if (!(e instanceof StationError)) throw e;
        this.d.orders.update(id, { detail: `超时撤销未完成：${e.message}（将自动重试）` }, this.d.now());
      }
    }
    return expired;
  }

  private async expire(orderId: string): Promise<boolean> {
    let order = this.order(orderId, ['awaiting-payment', 'expiring']);
    if (order.state === 'awaiting-payment') {
      this.d.orders.update(orderId, { state: 'expiring', detail: '补缴超时，正在撤销医保结算和挂号' }, this.d.now());
      this.changed(orderId);
      order = this.order(orderId);
    }
    const operator = this.operatorOf(order);
    const base = { operator, insuredRegion: order.insuredRegion, psnNo: order.psnNo };
    const succeeded = this.succeeded(orderId);
    if (!succeeded.has(KINDS.settlementCancel)) {
      await this.run<SettlementCancelPayload, Settlement>(KINDS.settlementCancel, order, { ...base, setlId: order.setlId!, mdtrtId: order.mdtrtId! });
    }
    if (!succeeded.has(KINDS.feesCancel)) {
      await this.run<FeesCancelPayload, undefined>(KINDS.feesCancel, order, { ...base, mdtrtId: order.mdtrtId!, chrgBchno: order.chrgBchno! });
    }
    if (!succeeded.has(KINDS.registrationCancel)) {
      await this.run<RegistrationCancelPayload, undefined>(KINDS.registrationCancel, order, {
        ...base,
        mdtrtId: order.mdtrtId!,
        iptOtpNo: order.hisOrderNo,
      });
    }
    this.d.orders.update(orderId, { state: 'expired', payBefore: null, detail: '补缴超时，医保结算与挂号已撤销' }, this.d.now());
    this.changed(orderId);
    return true;
  }

  private succeeded(orderId: string): Set<string> {
    return this.d.succeededKinds(orderId);
  }

  private operatorOf(order: OrderRecord): OperatorView {
    const row = this.d.db.prepare('SELECT id, name, role FROM operators WHERE id = ?').get(order.operatorId) as OperatorView | undefined;
    return row ?? { id: order.operatorId, name: order.operatorId, role: 'cashier' };
  }

  /**
   * At start: an order left "in doubt" whose movements have all finished — the station stopped between the
   * outbox committing a final state and the saga taking its next step — takes that step now.
   */
  async recoverInDoubt(): Promise<void> {
    const rows = this.d.db.prepare(`SELECT id FROM outpatient_orders WHERE state = 'in-doubt'`).all() as { id: string }[];
    for (const { id } of rows) {
      if (this.d.outbox.isLocked(id)) continue; // still being resolved: its `finished` event will come
      const last = this.d.lastFinished(id);
      if (last) await this.continueAfter({ kind: last.kind, orderId: id, final: last.final });
    }
  }

  /** The resolver finished a movement of an order: take the saga's next step. */
  async continueAfter(e: { kind: string; orderId: string; final: FinalState }): Promise<void> {
    const order = this.d.orders.get(e.orderId);
    if (!order) return;
    const ok = e.final === 'succeeded';
    switch (e.kind) {
      case KINDS.registration:
      case KINDS.fees:
        // The centre has (or, after the undo, has not) the step; the cashier runs 预结算 again either way.
        this.d.orders.update(order.id, { state: 'open', detail: ok ? '' : '上一步已冲正，请重新预结算' }, this.d.now());
        break;
      case SETTLEMENT_KIND:
        this.d.orders.update(order.id, { state: 'previewed', detail: '结算结果未知，已自动冲正；可重新结算' }, this.d.now());
        break;
      case KINDS.micropay:
        if (ok) await this.confirmWithHis(order.id);
        else this.d.orders.update(order.id, { state: 'awaiting-payment', detail: '付款未成功，已撤销该笔付款；可请患者重新付款' }, this.d.now());
        break;
      case KINDS.hisConfirm:
        this.d.orders.update(order.id, { state: ok ? 'completed' : 'insurance-settled', detail: ok ? '' : 'HIS 未确认结算，请人工核实' }, this.d.now());
        break;
      case KINDS.settlementCancel:
      case KINDS.feesCancel:
      case KINDS.registrationCancel:
        // An expiry in progress resumes on the next sweep; a cashier's cancel ends here.
        if (order.state !== 'expiring') this.d.orders.update(order.id, { state: ok ? 'reversed' : 'awaiting-payment', payBefore: null }, this.d.now());
        break;
    }
    this.changed(order.id);
  }

  private async confirmWithHis(orderId: string): Promise<void> {
    const order = this.order(orderId);
    const split = order.split!;
    const payments: HisPaymentLine[] = this.d.orders.paidPayments(orderId).map((p) => ({
      channel: p.channel === 'alipay' ? 'alipay' : 'wechat',
      outTradeNo: p.outTradeNo,
      ...(p.transactionId ? { transactionId: p.transactionId } : {}),
      amountFen: p.amountFen as never,
    }));
    const payload: HisConfirmPayload = {
      settleId: `S${order.id.replaceAll('-', '').slice(0, 24)}`,
      orderNo: order.hisOrderNo,
      mdtrtId: order.mdtrtId!,
      setlId: order.setlId!,
      medfeeFen: split.totalFen as never,
      fundFen: split.fundFen as never,
      acctFen: split.accountFen as never,
      cashFen: split.cashFen as never,
      payments,
    };
    const r = await this.d.outbox.run<HisConfirmPayload, unknown>(KINDS.hisConfirm, { orderId, externalId: payload.settleId, payload });
    if (r.state === 'succeeded') this.d.orders.update(orderId, { state: 'completed', payBefore: null, detail: '' }, this.d.now());
    else if (r.state === 'unknown') this.d.orders.update(orderId, { state: 'in-doubt', detail: 'HIS 结算确认结果未知 — 正在核实' }, this.d.now());
    else this.d.orders.update(orderId, { state: 'insurance-settled', detail: `HIS 拒绝结算确认：${r.detail}` }, this.d.now());
  }

  /** Runs a movement the saga must complete before going on; a lost answer locks the order and stops here. */
  private async run<P, O>(kind: string, order: OrderRecord, payload: P): Promise<O> {
    let r: RunResult<O>;
    try {
      r = await this.d.outbox.run<P, O>(kind, { orderId: order.id, externalId: this.d.newMsgid(), payload });
    } catch (e) {
      if (e instanceof Error && e.name === 'OrderLockedError') throw new StationError('CONFLICT', '该订单有结果未知的交易，正在核实，请稍候');
      throw e;
    }
    if (r.state === 'succeeded') return r.output;
    if (r.state === 'failed') throw new StationError('CENTRE_REJECTED', r.detail);
    this.inDoubt(order.id, '医保交易结果未知 — 正在核实，核实完成前该订单锁定');
    throw new StationError('OUTCOME_UNKNOWN', '医保交易结果未知 — 正在自动核实，请稍候');
  }

  private inDoubt(orderId: string, detail: string): OrderView {
    this.d.orders.update(orderId, { state: 'in-doubt', detail }, this.d.now());
    return this.changed(orderId);
  }

  private settlementInput(order: OrderRecord): SettlementInput {
    return {
      psn_no: order.psnNo,
      mdtrt_cert_type: order.cert.type,
      mdtrt_cert_no: order.cert.no,
      med_type: MED_TYPE_GENERAL_OUTPATIENT,
      medfee_sumamt: order.totalFen as never,
      psn_setlway: '01',
      mdtrt_id: order.mdtrtId!,
      chrg_bchno: order.chrgBchno!,
      insutype: order.insutype,
      acct_used_flag: '1',
    };
  }

  private order(id: string, allowed?: readonly OrderState[]): OrderRecord {
    const o = this.d.orders.get(id);
    if (!o) throw new StationError('NOT_FOUND', '没有这张收费单');
    if (this.d.outbox.isLocked(id)) throw new StationError('CONFLICT', '该订单有结果未知的交易，正在核实，请稍候');
    if (allowed && !allowed.includes(o.state)) throw new StationError('CONFLICT', `收费单当前状态不允许此操作（${o.state}）`);
    return o;
  }

  private view(id: string): OrderView {
    const o = this.d.orders.get(id)!;
    const person = this.d.persons.find(o.psnNo);
    return this.d.orders.view(id, person?.name ?? '')!;
  }

  private changed(id: string): OrderView {
    const v = this.view(id);
    this.d.bus.emit('orderUpdated', v);
    return v;
  }
}

function splitOf(s: Settlement): SettlementSplitView {
  const i = s.setlinfo;
  return {
    totalFen: i.medfee_sumamt,
    fundFen: i.fund_pay_sumamt,
    poolFen: i.hifp_pay ?? 0,
    accountFen: i.acct_pay,
    cashFen: i.psn_cash_pay,
    deductibleFen: i.act_pay_dedc ?? 0,
    balanceAfterFen: i.balc ?? 0,
  };
}

/** ISO → "yyyy-MM-dd HH:mm:ss" China time, as the centre wants begntime / fee_ocur_time. */
function nhsaTime(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return d.toISOString().slice(0, 19).replace('T', ' ');
}
