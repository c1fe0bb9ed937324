/**
 * The insurance part of an outpatient order (HX-11..19): 2001 treatment check → 2201 registration → 2204 fee
 * upload → 2206 pre-settlement (the split shown) → 2207 settlement. Each step that changes the centre's state is a
 * movement (movements/*.ts) whose result is written with its final state; a lost answer locks the order.
 */
import { StationError } from '../../shared/result';
import { fenToYuan } from '../../shared/money';
import type { OperatorView, OrderView } from '../../shared/domain';
import { preSettleOutpatient, treatmentCheck, type Settlement, type SettlementInput } from '../../insurance/nhsa';
import { localDateTime } from '../clock';
import { MOVEMENT_KINDS } from '../movements';
import type { OutpatientContext } from './context';
import type { FeesPayload, RegistrationPayload, SettlementPayload } from './movements';
import { splitOf } from './order-effects';
import type { OrderRecord } from './orders-repo';

const MED_TYPE_GENERAL_OUTPATIENT = '11';

export class InsuredSettlement {
  constructor(
    private readonly c: OutpatientContext,
    /** HIS books an order settled with nothing to pay (completion.ts). */
    private readonly book: (orderId: string) => Promise<void>,
  ) {}

  /** HX-13..15: register (2201), upload the fee lines (2204) and pre-settle (2206); the split is shown. */
  async preSettle(operator: OperatorView, orderId: string): Promise<OrderView> {
    const { d } = this.c;
    let order = this.c.order(orderId, ['open', 'previewed']);
    if (!order.insutype) throw new StationError('NOT_INSURED', '该患者未参保，只能自费结算');
    const base = { operator, insuredRegion: order.insuredRegion, psnNo: order.psnNo };
    if (!order.mdtrtId) {
      await this.checkEligibility(operator, order);
      const payload: RegistrationPayload = { ...base, input: this.registrationInput(operator, order) };
      await this.c.run(MOVEMENT_KINDS.registration, order, payload); // mdtrt_id stored with it
      order = this.c.order(orderId);
    }
    if (!order.chrgBchno) {
      // The batch number and each line's charge level are stored with the movement.
      await this.c.run(MOVEMENT_KINDS.fees, order, feesPayloadOf(order, base, d.timeZone, { chrgBchno: `${order.hisOrderNo}`.slice(-30) }));
      order = this.c.order(orderId);
    }
    const pre = await d.gateway.perform('2206', operator, (c, ctx) => preSettleOutpatient(c, ctx, settlementInput(order)), {
      insuredRegion: order.insuredRegion,
    });
    if (pre.kind === 'rejected') throw new StationError('CENTRE_REJECTED', `预结算失败：${pre.errMsg}`);
    if (pre.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', '预结算无应答，请稍后重试（预结算不产生费用）');
    d.orders.update(order.id, { state: 'previewed', split: splitOf(pre.output), settlement: pre.output, reason: null }, d.now());
    return this.c.changed(order.id);
  }

  /** HX-16..19: settle (2207); with no cash share, HIS books it and the order is completed. */
  async settle(operator: OperatorView, orderId: string): Promise<OrderView> {
    const order = this.c.order(orderId, ['previewed']);
    // The settlement is written to the order with the movement, in the same transaction.
    const payload: SettlementPayload = { operator, insuredRegion: order.insuredRegion, input: settlementInput(order) };
    // A step of the order's own: the sweep's recovery, seeing 'insurance-settled' while 2207's answer is made
    // durable, would otherwise book it first and the cashier would hear "busy" for a settlement that went through.
    return this.c.whileStepping(orderId, async () => {
      const s = await this.c.run<SettlementPayload, Settlement>(MOVEMENT_KINDS.settlement, order, payload);
      if (s.setlinfo.psn_cash_pay === 0) await this.book(orderId);
      return this.c.changed(order.id);
    });
  }

  /**
   * HX-11/12: before registering, 2001 asks whether the person's insurance gives benefits for this visit today (a
   * suspended scheme does not). Read-only: nothing to undo. The answer is kept sealed with the order.
   */
  private async checkEligibility(operator: OperatorView, order: OrderRecord): Promise<void> {
    const { d } = this.c;
    const check = await d.gateway.perform(
      '2001',
      operator,
      (c, ctx) =>
        treatmentCheck(c, ctx, {
          psn_no: order.psnNo,
          insutype: order.insutype,
          med_type: MED_TYPE_GENERAL_OUTPATIENT,
          begntime: localDateTime(d.now(), d.timeZone),
        }),
      { insuredRegion: order.insuredRegion },
    );
    if (check.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', '待遇检查无应答，请稍后重试（未产生费用）');
    if (check.kind === 'rejected') throw new StationError('NO_BENEFITS', `待遇检查未通过：${check.errMsg}；可改为自费结算`);
    d.orders.update(order.id, { eligibility: check.output }, d.now());
    const refused = check.output.trtinfo.find((t) => t.trt_enjymnt_flag !== '1');
    if (refused) throw new StationError('NO_BENEFITS', `不享受医保待遇：${refused.trt_chk_rslt || '待遇检查未通过'}；可改为自费结算`);
  }

  private registrationInput(operator: OperatorView, order: OrderRecord): RegistrationPayload['input'] {
    return {
      psn_no: order.psnNo,
      insutype: order.insutype,
      begntime: this.nhsaTime(order.createdAt),
      mdtrt_cert_type: order.cert.type,
      mdtrt_cert_no: order.cert.no,
      ipt_otp_no: order.hisOrderNo,
      atddr_no: operator.id,
      dr_name: order.doctorName || operator.name,
      dept_code: order.deptCode || 'MZ',
      dept_name: order.deptName || '门诊',
      caty: order.deptCode || 'MZ',
    };
  }

  /** ISO → "yyyy-MM-dd HH:mm:ss" in the centre's zone, as it wants begntime / fee_ocur_time. */
  private nhsaTime(iso: string): string {
    return localDateTime(new Date(iso), this.c.d.timeZone);
  }
}

/**
 * The 2204 of an order's lines (all of them, or those a partial refund leaves) as one fee batch `chrgBchno`,
 * billed by the payload's operator.
 */
export function feesPayloadOf(
  order: OrderRecord,
  base: Omit<FeesPayload, 'mdtrtId' | 'chrgBchno' | 'lines'>,
  timeZone: string,
  batch: { chrgBchno: string; lines?: OrderRecord['lines'] },
): FeesPayload {
  const mdtrtId = order.mdtrtId!;
  const at = localDateTime(new Date(order.createdAt), timeZone);
  const lines = (batch.lines ?? order.lines).map((l) => ({
    feedetl_sn: l.feedetlSn,
    mdtrt_id: mdtrtId,
    psn_no: order.psnNo,
    chrg_bchno: batch.chrgBchno,
    fee_ocur_time: at,
    med_list_codg: l.medListCodg,
    medins_list_codg: l.hisItemCode,
    det_item_fee_sumamt: l.amountFen,
    cnt: l.quantity,
    pric: fenToYuan(l.unitPriceFen),
    bilg_dept_codg: order.deptCode || 'MZ',
    bilg_dept_name: order.deptName || '门诊',
    bilg_dr_codg: base.operator.id,
    bilg_dr_name: order.doctorName || base.operator.name,
    rxno: l.rxNo,
  }));
  return { ...base, mdtrtId, chrgBchno: batch.chrgBchno, lines };
}

/** The 2206/2207 input of an order that is registered and has its fee batch uploaded. */
export function settlementInput(order: OrderRecord): SettlementInput {
  return {
    psn_no: order.psnNo,
    mdtrt_cert_type: order.cert.type,
    mdtrt_cert_no: order.cert.no,
    med_type: MED_TYPE_GENERAL_OUTPATIENT,
    medfee_sumamt: order.totalFen,
    psn_setlway: '01',
    mdtrt_id: order.mdtrtId!,
    chrg_bchno: order.chrgBchno!,
    insutype: order.insutype,
    acct_used_flag: '1',
  };
}
