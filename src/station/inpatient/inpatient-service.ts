/**
 * The inpatient stay at the centre (issue 15, item 2): admission (2401) of a HIS stay for an identified insured
 * person, the fee lines uploaded in batches (fee-uploader.ts), the pre-settlement of the bill to date (2303), and the
 * discharge: 2402 once the doctor ordered it and every line is at the centre, the discharge pre-settlement, 2304, and
 * HIS's booking with the deposits applied. Each step that changes a remote's state is an outbox movement.
 */
import { randomUUID } from 'node:crypto';
import { StationError } from '../../shared/result';
import type { OperatorView } from '../../shared/domain';
import { preSettleInpatient, type InpatientSettlementInput, type Settlement } from '../../insurance/nhsa';
import type { HisStay, HisWardClient } from '../../insurance/his';
import { localDateTime } from '../clock';
import { MOVEMENT_KINDS } from '../movements';
import { OrderLockedError, type Outbox } from '../outbox';
import type { CentrePort } from '../ports';
import {
  wardSettleId,
  type AdmissionPayload,
  type DischargePayload,
  type HisWardSettlePayload,
  type InpatientSettlementPayload,
} from './movements';
import { planDeposits, type DepositPlan } from './deposit-plan';
import { DIAG_TYPE_WESTERN, MED_TYPE_INPATIENT, type FeeUploader } from './fee-uploader';
import type { StayPaymentsRepo } from './stay-payments-repo';
import type { StayCert, StayRecord, StaysRepo } from './stays-repo';

export interface InpatientServiceDeps {
  gateway: CentrePort;
  his: Pick<HisWardClient, 'stay' | 'feeLines'>;
  stays: StaysRepo;
  /** What the patient paid at the bedside towards a shortfall. */
  payments: Pick<StayPaymentsRepo, 'paid'>;
  outbox: Outbox;
  uploader: FeeUploader;
  newMsgid: () => string;
  now: () => Date;
  timeZone: string;
  /** HIS booked the stay's discharge: its e-bill follows in the background (ebill/stay-bills.ts). */
  booked?: (stayId: string) => void;
  /** The stay's live mobile-payment order (the phone paying or paid), which the bedside must not settle again. */
  phoneSettlementOf?: (iptNo: string) => string | null;
}

/** Who is admitted, as the identification (card, e-voucher, ID card) found them at the centre. */
export interface InsuredPerson {
  psnNo: string;
  insuredRegion: string;
  insutype: string;
  cert: StayCert;
}

/** The split a pre-settlement showed, in fen. */
export interface InpatientPreview {
  stayId: string;
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  cashFen: number;
  uptoLine: number;
}

/** A discharge's pre-settlement with what the deposits do about its cash part. */
export interface DischargePreview extends InpatientPreview {
  depositBalanceFen: number;
  plan: DepositPlan;
}

/** diag_type 1: 西医诊断. */
/** dscg_way 1: 医嘱离院. */
const DISCHARGE_ON_ORDER = '1';

export class InpatientService {
  constructor(private readonly d: InpatientServiceDeps) {}

  /**
   * 2401 for a HIS stay: the stay is registered at the centre (its mdtrt_id kept), or the reason is said. `selfPay`:
   * 自费转医保 (late-registration.ts), a stay HIS lists self-pay whose patient that module has checked.
   */
  async admit(operator: OperatorView, iptNo: string, person: InsuredPerson, selfPay = false): Promise<StayRecord> {
    const { d } = this;
    const h = await this.hisStay(iptNo);
    // Also once the doctor ordered the discharge: a stay not registered yet is registered before it is settled.
    if (h.state !== 'in' && h.state !== 'discharge-ordered')
      throw new StationError('CONFLICT', `该住院记录当前不在院（${h.state}），不能办理医保入院登记`);
    if (!selfPay && !h.psnNo) throw new StationError('CONFLICT', '该患者在 HIS 为自费住院，请用「自费转医保」办理医保登记');
    if (selfPay ? h.psnNo !== '' : h.psnNo !== person.psnNo) throw new StationError('CONFLICT', '读卡所得人员与 HIS 住院患者不符');
    const stay = d.stays.byIptNo(iptNo);
    if (stay && stay.state !== 'cancelled') {
      if (stay.state === 'admitted') return stay;
      throw new StationError('ORDER_BUSY', '该住院登记正在办理或结果正在核实，请稍候');
    }
    const admittedAt = localDateTime(new Date(h.admittedAt), d.timeZone);
    const payload: AdmissionPayload = {
      operator,
      insuredRegion: person.insuredRegion,
      psnNo: person.psnNo,
      input: admissionInput(h, person, admittedAt),
    };
    // The stay's row is written in the 2401 intent's own transaction: a stop between the two would leave a stay
    // "registering" that no intent resolves, never to be admitted again (the service's chaos found it).
    const again = stay; // a cancelled stay registered again keeps its row
    const id = again?.id ?? randomUUID();
    const register = () =>
      again
        ? d.stays.update(again.id, { state: 'registering' }, d.now())
        : d.stays.insert(newStay(operator, h, person, admittedAt), d.now(), id);
    await this.run(MOVEMENT_KINDS.admission, { id }, payload, '医保入院登记', register);
    return d.stays.get(id)!;
  }

  /**
   * 2303 for everything the stay has run up: every fee line uploaded first, then the centre prices the lines it
   * holds. While the patient is in the ward it is the mid-stay form (mid_setl_flag 1): the bill to date, what the
   * nurse and the patient look at before the discharge. Read-only at the centre.
   */
  async preSettle(operator: OperatorView, stayId: string): Promise<InpatientPreview> {
    const stay = await this.admittedStay(stayId);
    const { lastLine, unsettledFen } = await this.uploadAll(stay);
    return this.price(operator, stay, '1', lastLine, unsettledFen);
  }

  /** 2402 (出院办理) once the doctor ordered the discharge at HIS and every fee line is at the centre. */
  async discharge(operator: OperatorView, stayId: string): Promise<StayRecord> {
    const { d } = this;
    const before = await this.admittedStay(stayId);
    const his = await this.hisStay(before.iptNo);
    if (his.state !== 'discharge-ordered') throw new StationError('CONFLICT', '医生尚未开具出院医嘱，不能办理出院');
    if (d.stays.midway.unbooked(before.id)) throw new StationError('CONFLICT', '中途结算尚未在 HIS 登记完成，请先完成中途结算');
    await this.uploadAll(before);
    const stay = await this.admittedStay(stayId); // with the department and bed a 2403 may have told the centre
    const diagnosis = { psn_no: stay.psnNo, diag_type: DIAG_TYPE_WESTERN, maindiag_flag: '1' as const, diag_srt_no: 1 };
    const payload: DischargePayload = {
      operator,
      insuredRegion: stay.insuredRegion,
      psnNo: stay.psnNo,
      mdtrtId: stay.mdtrtId!,
      input: {
        dscginfo: {
          mdtrt_id: stay.mdtrtId!,
          psn_no: stay.psnNo,
          insutype: stay.insutype,
          endtime: localDateTime(d.now(), d.timeZone),
          dscg_dept_codg: stay.dept.code,
          dscg_dept_name: stay.dept.name,
          dscg_bed: stay.ward.bedNo,
          dscg_way: DISCHARGE_ON_ORDER,
        },
        diseinfo: [
          {
            ...diagnosis,
            diag_code: stay.diagnosis.code,
            diag_name: stay.diagnosis.name,
            diag_dept: stay.dept.name,
            dise_dor_no: stay.doctor.code,
            dise_dor_name: stay.doctor.name,
            diag_time: localDateTime(d.now(), d.timeZone),
          },
        ],
      },
    };
    await this.run(MOVEMENT_KINDS.discharge, stay, payload, '出院办理');
    return d.stays.get(stay.id)!;
  }

  /** The discharge's bill priced (2303, mid_setl_flag 0) and what the deposits do about its cash part. */
  async preSettleDischarge(operator: OperatorView, stayId: string): Promise<DischargePreview> {
    const stay = this.stayIn(stayId, ['discharged']);
    const his = await this.hisStay(stay.iptNo);
    const preview = await this.price(operator, stay, '0', his.lastLine, his.unsettledFen);
    return { ...preview, depositBalanceFen: his.depositBalanceFen, plan: planDeposits(depositsOf(his), preview.cashFen) };
  }

  /**
   * 2304, then HIS books it with the deposits applied (oldest first) and what was paid at the bedside. When the
   * deposits do not cover the cash part the stay stays settled at the centre with its shortfall kept: it is
   * collected at the bedside (shortfall-collection.ts), which books it here once paid.
   */
  async settleDischarge(operator: OperatorView, stayId: string): Promise<StayRecord> {
    const { d } = this;
    let stay = this.stayIn(stayId, ['discharged', 'settled']);
    if (stay.state === 'discharged') {
      const onPhone = d.phoneSettlementOf?.(stay.iptNo) ?? null;
      if (onPhone)
        throw new StationError('CONFLICT', `该次住院已在患者手机上结算或正在结算（移动支付订单 ${onPhone}），请勿在床旁重复结算`);
      const his = await this.hisStay(stay.iptNo);
      if (his.lastLine !== stay.uploadedUptoLine) throw new StationError('CONFLICT', '出院后又有新的费用明细，请撤销出院后重新办理');
      const payload: InpatientSettlementPayload = {
        operator,
        insuredRegion: stay.insuredRegion,
        psnNo: stay.psnNo,
        uptoLine: his.lastLine,
        input: this.settlementInput(stay, his.unsettledFen, '0'),
      };
      await this.run<InpatientSettlementPayload, Settlement>(MOVEMENT_KINDS.inpatientSettlement, stay, payload, '出院结算');
      stay = d.stays.get(stay.id)!;
    }
    const settlement = stay.settlement!;
    const plan = planDeposits(depositsOf(await this.hisStay(stay.iptNo)), settlement.cashFen);
    const paid = d.payments.paid(stay.id);
    if (plan.shortfallFen > paid.reduce((sum, p) => sum + p.amountFen, 0)) {
      if (stay.shortfallFen !== plan.shortfallFen) d.stays.update(stay.id, { shortfallFen: plan.shortfallFen }, d.now());
      return d.stays.get(stay.id)!;
    }
    const booking: HisWardSettlePayload = {
      settleId: wardSettleId(stay.id, settlement.setlId),
      iptNo: stay.iptNo,
      kind: 'discharge',
      uptoLine: settlement.uptoLine,
      mdtrtId: stay.mdtrtId!,
      setlId: settlement.setlId,
      medfeeFen: settlement.medfeeFen,
      fundFen: settlement.fundFen,
      acctFen: settlement.acctFen,
      cashFen: settlement.cashFen,
      deposits: plan.applied,
      payments: paid.map((p) => ({ channel: p.channel, outTradeNo: p.outTradeNo, transactionId: p.transactionId, amountFen: p.amountFen })),
      surplusFen: plan.surplusFen,
    };
    await this.run(MOVEMENT_KINDS.hisWardSettle, stay, booking, 'HIS 出院结算登记');
    d.booked?.(stay.id);
    return d.stays.get(stay.id)!;
  }

  /**
   * An admitted stay, once the background upload of its fee lines going now (if any) has finished: its 2301 in
   * flight is not "in doubt", and the nurse would otherwise be told to wait for nothing she can see.
   */
  private async admittedStay(stayId: string): Promise<StayRecord> {
    await this.d.uploader.settled(stayId);
    return this.stayIn(stayId, ['admitted']);
  }

  private stayIn(stayId: string, states: readonly StayRecord['state'][]): StayRecord {
    const stay = this.d.stays.get(stayId);
    if (!stay) throw new StationError('NOT_FOUND', '没有这次住院登记');
    if (this.d.outbox.isLocked(stay.id)) throw new StationError('ORDER_BUSY', '该次住院有结果未知的交易，正在核实，请稍候');
    // HIS may have cancelled its booking already while the centre's 2305 is owed: nothing is settled meanwhile.
    const undo = this.d.stays.undos.get(stay.id);
    if (undo)
      throw new StationError(
        'ORDER_BUSY',
        undo.stopped ? `出院结算撤销已停止，待人工处理：${undo.stopped}` : '该次住院的出院结算撤销进行中，请稍候',
      );
    if (!states.includes(stay.state) || !stay.mdtrtId)
      throw new StationError('CONFLICT', `该次住院当前状态（${stay.state}）不能办理此操作`);
    return stay;
  }

  private async hisStay(iptNo: string): Promise<HisStay> {
    const his = await this.d.his.stay({ iptNo });
    if (his.kind === 'rejected') throw new StationError('NOT_FOUND', `HIS：${his.message}`);
    if (his.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', `HIS 无应答，请稍后重试（${his.detail}）`);
    return his.value;
  }

  /** Every line HIS has executed is at the centre: uploads until the uploader is level with HIS's newest line. */
  private async uploadAll(stay: StayRecord): Promise<{ lastLine: number; unsettledFen: number }> {
    for (;;) {
      const uploaded = await this.d.uploader.upload(stay.id);
      if (uploaded.kind === 'stopped') throw new StationError('CONFLICT', `费用明细未全部上传：${uploaded.reason}`);
      const his = await this.hisStay(stay.iptNo);
      // A line executed between the upload and now: it goes up too (the bill must be HIS's whole bill).
      if (his.lastLine === uploaded.uptoLine) return { lastLine: his.lastLine, unsettledFen: his.unsettledFen };
    }
  }

  private async price(
    operator: OperatorView,
    stay: StayRecord,
    mid: '0' | '1',
    uptoLine: number,
    medfeeFen: number,
  ): Promise<InpatientPreview> {
    const input = this.settlementInput(stay, medfeeFen, mid);
    const pre = await this.d.gateway.perform('2303', operator, (c, ctx) => preSettleInpatient(c, ctx, input), {
      insuredRegion: stay.insuredRegion,
    });
    if (pre.kind === 'rejected') throw new StationError('CENTRE_REJECTED', `预结算失败：${pre.errMsg}`);
    if (pre.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', '预结算无应答，请稍后重试（预结算不产生费用）');
    const s = pre.output.setlinfo;
    return {
      stayId: stay.id,
      medfeeFen: s.medfee_sumamt,
      fundFen: s.fund_pay_sumamt,
      acctFen: s.acct_pay,
      cashFen: s.psn_cash_pay,
      uptoLine,
    };
  }

  settlementInput(stay: StayRecord, medfeeFen: number, mid: '0' | '1'): InpatientSettlementInput {
    return {
      psn_no: stay.psnNo,
      mdtrt_cert_type: stay.cert.type,
      mdtrt_cert_no: stay.cert.no,
      medfee_sumamt: medfeeFen,
      psn_setlway: '01',
      mdtrt_id: stay.mdtrtId!,
      acct_used_flag: '1',
      insutype: stay.insutype,
      mid_setl_flag: mid,
    };
  }

  /** Runs a movement the step must see finish: a refusal and an unknown outcome are said in the nurse's words. */
  async run<P, O = unknown>(kind: string, stay: Pick<StayRecord, 'id'>, payload: P, what: string, prepare?: () => void): Promise<O> {
    const { d } = this;
    const intent = { orderId: stay.id, externalId: d.newMsgid(), payload, ...(prepare ? { prepare } : {}) };
    const r = await d.outbox.run<P, O>(kind, intent).catch((e: unknown) => {
      // Another step of this stay is in doubt (a second nurse, the uploader): busy, not an internal error.
      if (e instanceof OrderLockedError) throw new StationError('ORDER_BUSY', '该次住院有结果未知的交易，正在核实，请稍候');
      throw e;
    });
    if (r.state === 'succeeded') return r.output;
    if (r.state === 'failed') throw new StationError('CENTRE_REJECTED', `${what}失败：${r.detail}`);
    d.stays.update(stay.id, { state: 'in-doubt' }, d.now());
    throw new StationError('OUTCOME_UNKNOWN', `${what}结果未知 — 正在自动核实，请稍候`);
  }
}

const depositsOf = (his: HisStay) => (his.deposits ?? []).map((x) => ({ depositNo: x.depositNo, balanceFen: x.balanceFen }));

function newStay(operator: OperatorView, h: HisStay, person: InsuredPerson, admittedAt: string) {
  return {
    iptNo: h.iptNo,
    hisPatientId: h.patientId,
    psnNo: person.psnNo,
    insuredRegion: person.insuredRegion,
    insutype: person.insutype,
    cert: person.cert,
    ward: { code: h.ward.code, bedNo: h.bedNo },
    dept: h.dept,
    doctor: h.doctor,
    diagnosis: h.diagnosis,
    admittedAt,
    operatorId: operator.id,
  };
}

function admissionInput(h: HisStay, person: InsuredPerson, admittedAt: string): AdmissionPayload['input'] {
  return {
    mdtrtinfo: {
      psn_no: person.psnNo,
      insutype: person.insutype,
      begntime: admittedAt,
      mdtrt_cert_type: person.cert.type,
      mdtrt_cert_no: person.cert.no,
      med_type: MED_TYPE_INPATIENT,
      ipt_no: h.iptNo,
      atddr_no: h.doctor.code,
      chfpdr_name: h.doctor.name,
      adm_diag_dscr: h.diagnosis.name,
      adm_dept_codg: h.dept.code,
      adm_dept_name: h.dept.name,
      adm_bed: h.bedNo,
      dscg_maindiag_code: h.diagnosis.code,
      dscg_maindiag_name: h.diagnosis.name,
    },
    diseinfo: [
      {
        psn_no: person.psnNo,
        diag_type: DIAG_TYPE_WESTERN,
        maindiag_flag: '1',
        diag_srt_no: 1,
        diag_code: h.diagnosis.code,
        diag_name: h.diagnosis.name,
        diag_dept: h.dept.name,
        dise_dor_no: h.doctor.code,
        dise_dor_name: h.doctor.name,
        diag_time: admittedAt,
      },
    ],
  };
}
