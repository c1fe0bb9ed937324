/**
 * The platform's field names and forms (e-invoice.md §3, §3a): money as yuan strings with two decimals, times as
 * yyyyMMddHHmmssSSS in Beijing time. The issue request is checked before it is built: payments that do not add up
 * to the total, or a charge group its items do not add up to, are the station's bug — nothing is sent.
 */
import { z } from 'zod';
import { fen, fenToYuan, yuanToFen, type Fen } from '../../shared/money';
import type { EBill, EBillDayTotals, EBillIssueRequest, EBillStatus, EBillWriteOffRequest, RedEBill } from './types';

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** ISO instant → yyyyMMddHHmmssSSS, Beijing wall-clock time whatever the machine's zone. */
export function busDateTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new RangeError(`not a time: ${JSON.stringify(iso)}`);
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().replace(/\D/g, '').slice(0, 17);
}

/** yyyy-MM-dd of an ISO instant in Beijing. */
function beijingDay(iso: string): string {
  const t = busDateTime(iso);
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}`;
}

/** yyyyMMddHHmmss[SSS] or yyyy-MM-dd HH:mm:ss (Beijing) → ISO; undefined for anything else, 20261131… included. */
export function platformTimeToIso(text: string): string | undefined {
  const digits = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(text) ? text.replace(/\D/g, '') : text;
  const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d{3})?$/.exec(digits);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, Number(m[7] ?? '0'));
  // Date.UTC rolls an impossible date over (31 Nov → 1 Dec): read it back to refuse it.
  if (new Date(wall).toISOString().replace(/\D/g, '').slice(0, 14) !== digits.slice(0, 14)) return undefined;
  return new Date(wall - BEIJING_OFFSET_MS).toISOString();
}

function sumFen(amounts: readonly Fen[]): number {
  return amounts.reduce((sum: number, a) => sum + a, 0);
}

/** Throws (nothing is sent) when the bill's own figures disagree. */
export function assertBillAddsUp(r: EBillIssueRequest): void {
  const paid = sumFen(r.payments.map((p) => p.amountFen));
  if (paid !== r.totalFen) throw new Error(`e-bill ${r.busNo}: payments add up to ${paid} fen, the total is ${r.totalFen} fen`);
  const groups = new Set(r.groups.map((g) => g.code));
  const stray = r.items.find((i) => !groups.has(i.groupCode));
  if (stray)
    throw new Error(`e-bill ${r.busNo}: item ${stray.code} is under charge group ${stray.groupCode}, which the bill does not have`);
  for (const g of r.groups) {
    const items = r.items.filter((i) => i.groupCode === g.code);
    const amount = sumFen(items.map((i) => i.amountFen));
    if (amount !== g.amountFen)
      throw new Error(`e-bill ${r.busNo}: charge group ${g.code} is ${g.amountFen} fen, its items add up to ${amount} fen`);
    const self = sumFen(items.map((i) => i.selfFen));
    if (self !== g.selfFen)
      throw new Error(`e-bill ${r.busNo}: charge group ${g.code} self-pay is ${g.selfFen} fen, its items add up to ${self} fen`);
  }
}

/** The body of invoiceEBillOutpatient / invEBillHospitalized (§3a). */
export function issueWire(r: EBillIssueRequest): Record<string, unknown> {
  const y = fenToYuan;
  const stay = r.visit.stay;
  return {
    busNo: r.busNo,
    busType: r.busType,
    payer: r.payer.name,
    busDateTime: busDateTime(r.busTime),
    placeCode: r.placeCode,
    payee: r.payee,
    author: r.author,
    totalAmt: y(r.totalFen),
    payerType: '1',
    idCardNo: r.payer.idCardNo,
    tel: r.payer.tel,
    medCareTypeCode: r.visit.insuranceType,
    medicalInsuranceID: r.visit.insuranceId,
    visitNo: r.visit.visitNo,
    hospitalNo: stay ? r.visit.visitNo : '',
    patientCategory: r.visit.deptName,
    balancedNumber: r.visit.settlementId,
    ...(stay ? { inHospitalDate: beijingDay(stay.admittedAt), outHospitalDate: beijingDay(stay.dischargedAt) } : {}),
    fundPay: y(r.split.fundFen),
    accountPay: y(r.split.accountFen),
    otherfundPay: y(r.split.otherFundFen),
    ownPay: y(r.split.ownPayFen),
    selfCashPay: y(r.split.cashFen),
    ...(stay ? { cashPay: y(stay.depositFen), cashRecharge: y(stay.collectedFen), cashRefund: y(stay.refundedFen) } : {}),
    payChannelDetail: r.payments.map((p) => ({ payChannelCode: p.channel, payChannelValue: y(p.amountFen) })),
    chargeDetail: r.groups.map((g, i) => ({
      sortNo: i + 1,
      chargeCode: g.code,
      chargeName: g.name,
      number: '1',
      std: y(g.amountFen),
      amt: y(g.amountFen),
      selfAmt: y(g.selfFen),
    })),
    listDetail: r.items.map((item, i) => ({
      listDetailNo: String(i + 1),
      chargeCode: item.groupCode,
      code: item.code,
      name: item.name,
      specification: item.spec,
      unit: item.unit,
      std: y(item.unitPriceFen),
      number: item.quantity,
      amt: y(item.amountFen),
      selfAmt: y(item.selfFen),
      medicalCareType: item.chargeLevel,
    })),
  };
}

export function writeOffWire(r: EBillWriteOffRequest): Record<string, unknown> {
  return {
    billBatchCode: r.billCode,
    billNo: r.billNo,
    reason: r.reason,
    operator: r.operator,
    busDateTime: busDateTime(r.busTime),
    placeCode: r.placeCode,
  };
}

// ---- answers (the decoded `message` of a success) ----

const Text = z.string().min(1).max(200);
const Yuan = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    return yuanToFen(v);
  } catch {
    ctx.issues.push({ code: 'custom', message: 'not a yuan amount', input: v });
    return z.NEVER;
  }
});
const PlatformTime = z.string().transform((v, ctx) => {
  const iso = platformTimeToIso(v);
  if (iso === undefined) {
    ctx.issues.push({ code: 'custom', message: 'bad createTime', input: v });
    return z.NEVER;
  }
  return iso;
});
const Flag = z.union([z.string(), z.number()]).transform(String);
const PageUrls = z.object({ pictureUrl: z.string().optional(), pictureNetUrl: z.string().optional() });

function pageUrl(a: z.infer<typeof PageUrls>): string {
  return a.pictureNetUrl || a.pictureUrl || '';
}

/** The bill the platform issued: the issue answer and getEBillByBusNo's (each echoes the busNo asked for). */
export function billAnswer(busNo: string, totalFen: Fen | undefined): z.ZodType<EBill> {
  return PageUrls.extend({
    busNo: z.string().optional(),
    billBatchCode: Text,
    billNo: Text,
    random: Text,
    createTime: PlatformTime,
    totalAmt: Yuan.optional(),
  }).transform((a, ctx): EBill => {
    const total = a.totalAmt ?? totalFen;
    const url = pageUrl(a);
    if ((a.busNo !== undefined && a.busNo !== busNo) || total === undefined || (totalFen !== undefined && total !== totalFen) || !url) {
      ctx.issues.push({ code: 'custom', message: 'the bill is not the one asked for (busNo, total) or has no page', input: a });
      return z.NEVER;
    }
    return { busNo, billCode: a.billBatchCode, billNo: a.billNo, checkCode: a.random, issuedAt: a.createTime, totalFen: total, url };
  });
}

export const RedBillAnswer: z.ZodType<RedEBill> = PageUrls.extend({
  eScarletBillBatchCode: Text,
  eScarletBillNo: Text,
  eScarletRandom: Text,
  createTime: PlatformTime,
}).transform((a, ctx): RedEBill => {
  const url = pageUrl(a);
  if (!url) {
    ctx.issues.push({ code: 'custom', message: 'the red bill has no page', input: a });
    return z.NEVER;
  }
  return { billCode: a.eScarletBillBatchCode, billNo: a.eScarletBillNo, checkCode: a.eScarletRandom, issuedAt: a.createTime, url };
});

/**
 * getEBillStatesByBillInfo: `state` 1 normal / 2 void, `isScarlet` 0/1. `isReimbursed` 0/1 is OUR extra field:
 * which system answers the reimbursement status (the fiscal platform or the NHSA voucher centre) is an open
 * question (e-invoice.md §8.3), so until it is known the flag rides on this answer — a status without it is
 * not trusted (a red-flush must never follow a guess).
 */
export function statusAnswer(billCode: string, billNo: string): z.ZodType<EBillStatus> {
  return z
    .object({
      billBatchCode: z.string().optional(),
      billNo: z.string().optional(),
      state: Flag.pipe(z.enum(['1', '2'])),
      isScarlet: Flag.pipe(z.enum(['0', '1'])),
      isReimbursed: Flag.pipe(z.enum(['0', '1'])),
    })
    .transform((a, ctx): EBillStatus => {
      // A status that names another bill is no answer about this one.
      if ((a.billBatchCode !== undefined && a.billBatchCode !== billCode) || (a.billNo !== undefined && a.billNo !== billNo)) {
        ctx.issues.push({
          code: 'custom',
          message: `the status of ${a.billBatchCode}/${a.billNo}, asked for ${billCode}/${billNo}`,
          input: a,
        });
        return z.NEVER;
      }
      return { state: a.state === '1' ? 'normal' : 'void', redFlushed: a.isScarlet === '1', reimbursed: a.isReimbursed === '1' };
    });
}

/** checkTotalData: the day's issued and red counts and amounts (field names [I]: IIH-K names only "count and amount"). */
export function dayTotalsAnswer(day: string): z.ZodType<EBillDayTotals> {
  return z
    .object({
      busDate: z.string(),
      billNum: z.number().int().nonnegative(),
      billAmt: Yuan,
      writeOffNum: z.number().int().nonnegative(),
      writeOffAmt: Yuan,
    })
    .transform((a, ctx): EBillDayTotals => {
      if (a.busDate !== day.replaceAll('-', '')) {
        ctx.issues.push({ code: 'custom', message: `totals of ${a.busDate}, asked for ${day}`, input: a });
        return z.NEVER;
      }
      return { day, issuedCount: a.billNum, issuedFen: a.billAmt, redCount: a.writeOffNum, redFen: fen(Math.abs(a.writeOffAmt)) };
    });
}
