/**
 * The settlement slip's data (DQ-06) from what the station kept of the order: the lines as HIS gave them, the
 * centre's settlement answer (sealed at rest, kept because the centre cannot always be asked again — ZS-06), the
 * payments and HIS's booking. Nothing is fetched here: a slip prints the same after a network break.
 */
import {
  INSUTYPE_LABELS,
  type OrderEBillView,
  type PaymentView,
  type ReceiptRefundView,
  type ReceiptView,
  type StationInfo,
} from '../../shared/domain';
import { fen } from '../../shared/money';
import type { Settlement } from '../../insurance/nhsa';
import { supplementaryCumulativeDeductible } from '../../insurance/nhsa/transactions/settlement-output';
import type { PersonsRepo, StoredPerson } from '../store';
import { lineView, type OrderRecord, type OrdersRepo } from './orders-repo';
import type { FinishedRefund, OutpatientService } from './outpatient-service';
import { RECEIPT_TITLES, REFUND_SLIP_TITLE } from '../receipts';

const NONE = fen(0);

export function receiptView(args: {
  order: OrderRecord;
  person: StoredPerson | undefined;
  settlement: Settlement | null;
  payments: PaymentView[];
  info: StationInfo;
  operatorName: string;
  now: Date;
  /** a refunded order's finished refund: the slip becomes its refund slip; a partial one is listed on the rest's slip */
  refund?: FinishedRefund | null;
  ebill?: OrderEBillView | null;
}): ReceiptView {
  const { order, person, settlement, info } = args;
  const split = order.split;
  const insured = order.settleMode === 'insurance';
  const setlinfo = insured ? settlement?.setlinfo : undefined;
  return {
    orderId: order.id,
    institutionName: info.institutionName,
    institutionCode: info.institutionCode,
    title: order.state === 'refunded' ? REFUND_SLIP_TITLE : RECEIPT_TITLES[order.settleMode],
    settleMode: order.settleMode,
    patientName: person?.name ?? '',
    certNoMasked: person ? maskCertNo(person.certNo) : '',
    insutypeName: insured ? (INSUTYPE_LABELS[order.insutype] ?? order.insutype) : '自费',
    hisOrderNo: order.hisOrderNo,
    setlId: insured ? order.setlId : null,
    mdtrtId: insured ? order.mdtrtId : null,
    hisSettleNo: order.hisSettlement?.hisSettleNo ?? '',
    invoiceNo: order.hisSettlement?.invoiceNo ?? '',
    deptName: order.deptName,
    doctorName: order.doctorName,
    lines: order.lines.map(lineView),
    totalFen: order.totalFen,
    fundFen: split?.fundFen ?? NONE,
    poolFen: split?.poolFen ?? NONE,
    accountFen: split?.accountFen ?? NONE,
    cashFen: split?.cashFen ?? order.totalFen,
    deductibleFen: split?.deductibleFen ?? NONE,
    balanceAfterFen: split?.balanceAfterFen ?? NONE,
    supplementaryCumulativeDeductibleFen: setlinfo ? supplementaryCumulativeDeductible(setlinfo) : null,
    funds: insured
      ? (settlement?.setldetail ?? []).map((d) => ({
          fundType: d.fund_pay_type,
          fundName: d.fund_pay_type_name || d.fund_pay_type,
          amountFen: d.fund_payamt,
        }))
      : [],
    payments: args.payments.filter((p) => p.state === 'paid'),
    pickupWindow: order.hisSettlement?.pickupWindow ?? '',
    operatorName: args.operatorName,
    settledAt: order.hisSettlement?.settledAt ?? order.completedAt ?? '',
    printedAt: args.now.toISOString(),
    trainingMode: info.trainingMode,
    refund: args.refund ? refundView(args.refund, args.payments) : null,
    ...(args.ebill ? { ebill: args.ebill } : {}),
  };
}

/** The refund's amounts as written when it was applied; each trade's wallet from the payment it gives back. */
function refundView({ refund, payments, lines }: FinishedRefund, paid: PaymentView[]): ReceiptRefundView {
  return {
    fundFen: refund.fundFen,
    accountFen: refund.acctFen,
    cashFen: refund.cashFen,
    payments: payments.map((p) => ({
      wallet: paid.find((x) => x.outTradeNo === p.outTradeNo)?.wallet ?? 'unknown',
      outTradeNo: p.outTradeNo,
      outRefundNo: p.outRefundNo,
      amountFen: p.amountFen,
    })),
    refundedAt: refund.finishedAt ?? refund.createdAt,
    lines: lines.map(lineView),
  };
}

/** 350203199001011234 → 350203********1234; the certificate type decides nothing here, the length does. */
function maskCertNo(certNo: string): string {
  if (certNo.length <= 10) return `${certNo.slice(0, 2)}****`;
  return `${certNo.slice(0, 6)}${'*'.repeat(certNo.length - 10)}${certNo.slice(-4)}`;
}

/** The slip of an order as the station shows and prints it: the order, its person, the centre's output, its payments. */
export function receiptOfOrder(
  d: {
    outpatient: Pick<OutpatientService, 'settledOrder' | 'operatorName' | 'finishedRefund' | 'ebillOf'>;
    persons: Pick<PersonsRepo, 'find'>;
    orders: Pick<OrdersRepo, 'settlementOutput' | 'payments'>;
    info: Omit<StationInfo, 'needsSetup'>;
    now: () => Date;
  },
  orderId: string,
): ReceiptView {
  const order = d.outpatient.settledOrder(orderId);
  return receiptView({
    order,
    person: d.persons.find(order.psnNo),
    settlement: d.orders.settlementOutput<Settlement>(orderId),
    payments: d.orders.payments.forOrder(orderId),
    info: { ...d.info, needsSetup: false },
    operatorName: d.outpatient.operatorName(order),
    now: d.now(),
    // A refunded bill's slip is its refund slip; a completed one shows a partial refund that left it as it is now.
    refund: refundShown(order, d.outpatient.finishedRefund(orderId)),
    ebill: d.outpatient.ebillOf(orderId),
  });
}

function refundShown(order: OrderRecord, refund: FinishedRefund | null): FinishedRefund | null {
  if (order.state === 'refunded') return refund;
  return order.state === 'completed' && refund?.refund.partial ? refund : null;
}
