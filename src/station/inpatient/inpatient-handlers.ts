/**
 * The nurse's operations over the inpatient core (issue 15): the ward's patients as HIS lists them joined with the
 * station's stays, 医保入院登记 (or 自费转医保) for the patient just identified, the bill to date, the discharge, its
 * pre-settlement and settlement, and the surplus deposits going back.
 */
import type { OperationArgs } from '../../shared/api';
import type { PaymentView, SignedInOperator } from '../../shared/domain';
import type { MidstaySettlementView, StayView, WardPatientView, WindowDepositRefundView } from '../../shared/inpatient';
import { StationError } from '../../shared/result';
import { stayUndoEffectLines, stayUndoEffects } from '../../shared/stay-undo-effects';
import type { HisOutcome, HisStay } from '../../insurance/his';
import { localDateTime } from '../clock';
import type { AuditRepo, PersonsRepo } from '../store';
import type { ReceiptPaper, ReceiptService } from '../receipts';
import type { InpatientStation } from './inpatient-station';
import { depositRefundSlipHtml, stayVoucherHtml } from './stay-voucher-html';
import type { IdentifiedPerson } from './late-registration';
import type { StayRecord } from './stays-repo';
import type { StayUndo } from './stay-undos-repo';
import { midstayHandlers, midstayView } from './midstay-handlers';

export interface InpatientHandlerDeps {
  inpatient: InpatientStation;
  persons: Pick<PersonsRepo, 'identification'>;
  now: () => Date;
  timeZone: string;
  info: { institutionName: string; trainingMode: boolean };
  /** The slips' printing: the core's printer where it has one, else the page for the caller. */
  receipts: Pick<ReceiptService, 'printPage'>;
  audit: Pick<AuditRepo, 'append'>;
}

const DAY_MS = 86_400_000;

export function inpatientHandlers<Ctx>(d: InpatientHandlerDeps, operatorOf: (ctx: Ctx) => SignedInOperator) {
  const { service, lateRegistration, surplus, shortfall, stays, ward, payments, undo } = d.inpatient;
  const stayView = (s: StayRecord): StayView => ({
    ...viewOf(s, payments.forStay(s.id), stays.midway.of(s.id).map(midstayView), stays.undos.get(s.id)),
    ...(d.inpatient.bills ? { ebill: d.inpatient.bills.view(s.id) } : {}),
  });
  // The window's undo says where the money goes: a discharge paid on the phone is refunded there (HM-07).
  const undoView = (s: StayRecord): StayView => ({ ...stayView(s), settledOnPhone: undo.phoneOrderOf(s) !== null });
  const today = () => localDateTime(d.now(), d.timeZone).slice(0, 10);
  /** A step on a stay: every screen showing it hears of it once the step is over, whether it went through or not. */
  const telling = async <T>(stayId: string, step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } finally {
      d.inpatient.updated(stayId);
    }
  };
  /** A stay just registered: told under its new id (another bedside of the ward lists the patient). */
  const told = (s: StayRecord): StayView => (d.inpatient.updated(s.id), stayView(s));
  const wardPatient = (h: HisStay): WardPatientView => {
    const stay = stays.byIptNo(h.iptNo);
    const admittedDay = localDateTime(new Date(h.admittedAt), d.timeZone).slice(0, 10);
    return {
      iptNo: h.iptNo,
      bedNo: h.bedNo,
      patientName: h.patientName,
      insured: h.psnNo !== '',
      admittedAt: h.admittedAt,
      // 住院天数: calendar days from the admission day, the day of admission counting as one at least
      daysIn: Math.max(1, Math.round((Date.parse(today()) - Date.parse(admittedDay)) / DAY_MS)),
      hisState: h.state,
      dischargeOrdered: h.state === 'discharge-ordered' || h.dischargeOrderedAt !== null,
      billFen: h.unsettledFen,
      depositBalanceFen: h.depositBalanceFen,
      stay: stay && stay.state !== 'cancelled' ? stayView(stay) : null,
    };
  };
  /** The person the nurse just identified, as the centre knows them (for 医保入院登记 and 自费转医保). */
  const identified = (identificationId: string): IdentifiedPerson => {
    const ident = d.persons.identification(identificationId);
    if (!ident) throw new StationError('NOT_FOUND', '没有这次身份识别记录，请重新识别患者');
    const insurance = ident.person.insurances[0];
    if (!insurance) throw new StationError('CONFLICT', '该患者没有可用的医保参保信息，不能办理医保入院登记');
    return {
      psnNo: ident.person.psnNo,
      insuredRegion: insurance.insuredRegion,
      insutype: insurance.insutype,
      cert: { type: ident.certType, no: ident.certNo },
      name: ident.person.name,
      birthDate: ident.person.birthDate,
    };
  };
  return {
    ...midstayHandlers(d, operatorOf, stayView),
    listWards: async () => his(await ward.wards()),
    listWardPatients: async (_ctx: Ctx, args: OperationArgs<'listWardPatients'>): Promise<WardPatientView[]> => {
      const list = his(await ward.stays(args.wardCode));
      // HIS lists only stays still in a bed; a discharge the station is finishing (and today's finished ones, with
      // their surplus) stays on the nurse's list until she moves on.
      const listed = new Set(list.map((h) => h.iptNo));
      const finishing = stays
        .inStates(['discharged', 'settled', 'in-doubt', 'completed'])
        .filter((s) => s.ward.code === args.wardCode && !listed.has(s.iptNo))
        .filter((s) => s.state !== 'completed' || localDateTime(new Date(s.updatedAt), d.timeZone).slice(0, 10) === today());
      for (const s of finishing) {
        const h = await ward.stay({ iptNo: s.iptNo });
        if (h.kind === 'ok') list.push(h.value);
      }
      return list.map((h) => wardPatient(h)).sort((a, b) => a.bedNo.localeCompare(b.bedNo, 'zh-CN', { numeric: true }));
    },
    admitStay: async (ctx: Ctx, args: OperationArgs<'admitStay'>) =>
      told(await service.admit(operatorOf(ctx), args.iptNo, identified(args.identificationId))),
    registerSelfPayStay: async (ctx: Ctx, args: OperationArgs<'registerSelfPayStay'>) =>
      told(await lateRegistration.register(operatorOf(ctx), args.iptNo, identified(args.identificationId))),
    stayBill: (ctx: Ctx, args: OperationArgs<'stayBill'>) => service.preSettle(operatorOf(ctx), args.stayId),
    dischargeStay: (ctx: Ctx, args: OperationArgs<'dischargeStay'>) =>
      telling(args.stayId, async () => stayView(await service.discharge(operatorOf(ctx), args.stayId))),
    preSettleDischarge: (ctx: Ctx, args: OperationArgs<'preSettleDischarge'>) => service.preSettleDischarge(operatorOf(ctx), args.stayId),
    settleDischarge: (ctx: Ctx, args: OperationArgs<'settleDischarge'>) =>
      telling(args.stayId, async () => stayView(await service.settleDischarge(operatorOf(ctx), args.stayId))),
    surplusSuggestion: (_ctx: Ctx, args: OperationArgs<'surplusSuggestion'>) => surplus.suggest(args.stayId),
    refundSurplus: (_ctx: Ctx, args: OperationArgs<'refundSurplus'>) =>
      telling(args.stayId, async () => stayView(await surplus.refund(args.stayId, args.depositNos))),
    payShortfallByCode: (_ctx: Ctx, args: OperationArgs<'payShortfallByCode'>) =>
      telling(args.stayId, async () => stayView(await shortfall.payByCode(args.stayId, args.scanId))),
    payShortfallByQr: (_ctx: Ctx, args: OperationArgs<'payShortfallByQr'>) =>
      telling(args.stayId, async () => stayView(await shortfall.payByQr(args.stayId))),
    cancelShortfallQr: (_ctx: Ctx, args: OperationArgs<'cancelShortfallQr'>) =>
      telling(args.stayId, async () => stayView(await shortfall.cancelQr(args.stayId))),
    // The window (收费窗口): the surpluses the bedside could not refund to a channel, paid out in cash.
    listWindowDepositRefunds: async (): Promise<WindowDepositRefundView[]> => {
      const views: WindowDepositRefundView[] = [];
      for (const s of surplus.pendingAtWindow()) {
        const h = await ward.stay({ iptNo: s.iptNo });
        views.push({
          stayId: s.id,
          iptNo: s.iptNo,
          bedNo: s.ward.bedNo,
          wardCode: s.ward.code,
          patientName: h.kind === 'ok' ? h.value.patientName : '',
          amountFen: s.surplus!.amountFen,
          since: s.updatedAt,
        });
      }
      return views;
    },
    // AQ-17 / HM-07: the window undoes a discharge settlement (HIS's booking, then 2305), the reason audited.
    findStayByIptNo: (_ctx: Ctx, args: OperationArgs<'findStayByIptNo'>) => {
      const stay = stays.byIptNo(args.iptNo);
      if (!stay) throw new StationError('NOT_FOUND', `没有住院号 ${args.iptNo} 的医保住院登记`);
      return undoView(stay);
    },
    undoDischargeSettlement: async (ctx: Ctx, args: OperationArgs<'undoDischargeSettlement'>) => {
      const operator = operatorOf(ctx);
      const before = stays.get(args.stayId);
      // What happens to money that already moved, as the cashier was shown it (HM-07).
      const moved = before ? stayUndoEffectLines(stayUndoEffects(undoView(before))).map((l) => `；${l}`) : [];
      const detail = `${before?.iptNo ?? args.stayId}${args.backToWard ? ' 并撤销出院' : ''} 原因：${args.reason}${moved.join('')}`;
      const audit = (outcome: 'ok' | 'failed') =>
        d.audit.append({ operatorId: operator.id, action: 'stay.undoSettlement', outcome, detail }, d.now());
      try {
        const stay = await telling(args.stayId, () => undo.undo(operator, args.stayId, args.reason, args.backToWard ?? false));
        audit('ok');
        return stayView(stay);
      } catch (e) {
        audit('failed');
        throw e;
      }
    },
    payOutDepositRefund: (ctx: Ctx, args: OperationArgs<'payOutDepositRefund'>) =>
      telling(args.stayId, async () => stayView(await surplus.payOutAtWindow(args.stayId, operatorOf(ctx).id))),
    // 住院结算单 at the bedside, once HIS booked the discharge.
    printStayVoucher: async (_ctx: Ctx, args: OperationArgs<'printStayVoucher'>) => {
      const stay = stays.get(args.stayId);
      if (!stay) throw new StationError('NOT_FOUND', '没有这次住院登记');
      if (stay.state !== 'completed' || !stay.settlement || !stay.booking)
        throw new StationError('CONFLICT', '出院结算尚未完成，不能打印结算单');
      const h = await ward.stay({ iptNo: stay.iptNo });
      const voucher = {
        stay,
        patientName: h.kind === 'ok' ? h.value.patientName : '',
        paid: payments.paid(stay.id),
        ebill: d.inpatient.bills?.view(stay.id) ?? null,
      };
      const context = (paper: ReceiptPaper) => ({ ...d.info, paper, now: d.now() });
      return d.receipts.printPage((paper) => stayVoucherHtml(voucher, context(paper)), `住院结算单 ${stay.iptNo}`);
    },
    // 预交金退款凭证 for a surplus paid out at the window.
    printDepositRefundSlip: async (ctx: Ctx, args: OperationArgs<'printDepositRefundSlip'>) => {
      const stay = stays.get(args.stayId);
      const refunds = stay?.surplus?.to === 'window' ? stay.surplus.refunds : [];
      if (!stay || refunds.length === 0 || refunds.some((r) => r.state !== 'recorded'))
        throw new StationError('CONFLICT', '该次住院的预交金余额尚未在窗口退款，不能打印退款凭证');
      const h = await ward.stay({ iptNo: stay.iptNo });
      const slip = { stay, patientName: h.kind === 'ok' ? h.value.patientName : '', cashierName: operatorOf(ctx).name };
      const context = (paper: ReceiptPaper) => ({ ...d.info, paper, now: d.now() });
      return d.receipts.printPage((paper) => depositRefundSlipHtml(slip, context(paper)), `预交金退款凭证 ${stay.iptNo}`);
    },
  };
}

function his<T>(o: HisOutcome<T>): T {
  if (o.kind === 'rejected') throw new StationError('CENTRE_REJECTED', `HIS：${o.message}`);
  if (o.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', `HIS 无应答，请稍后重试（${o.detail}）`);
  return o.value;
}

/** What the screen shows of a stay: no certificate, no person number. */
export function viewOf(s: StayRecord, payments: PaymentView[], midway: MidstaySettlementView[] = [], undo?: StayUndo): StayView {
  return {
    id: s.id,
    iptNo: s.iptNo,
    state: s.state,
    bedNo: s.ward.bedNo,
    admittedAt: s.admittedAt,
    uploadedUptoLine: s.uploadedUptoLine,
    uploadProblem: s.uploadProblem,
    settlement: s.settlement,
    booking: s.booking,
    surplus: s.surplus
      ? {
          to: s.surplus.to,
          amountFen: s.surplus.amountFen,
          refunds: s.surplus.refunds.map((r) => ({
            depositNo: r.depositNo,
            channel: r.channel,
            amountFen: r.amountFen,
            state: r.state,
            detail: r.detail,
          })),
        }
      : null,
    shortfallFen: s.shortfallFen,
    payments,
    midway,
    undo: undo
      ? { operatorId: undo.operator.id, reason: undo.reason, backToWard: undo.backToWard, begunAt: undo.begunAt, stopped: undo.stopped }
      : null,
  };
}
