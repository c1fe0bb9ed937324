/**
 * A stay's discharge as its fiscal e-bill needs it (ebill/issue-request.ts, busType 01): the split from the 2304,
 * the cash part as HIS booked it (each deposit applied on its own channel, the shortfall paid at the bedside), and
 * the items — the stay's lines HIS marked with this booking (the ones uploaded to the centre), a line taken back
 * dropped with its original. HIS is asked, so this is read only in the background, never while the nurse waits.
 * A discharge paid on the patient's phone (医保移动支付) has the 6202's split as its settlement and its self-pay part
 * paid by the mobile payment: that payment stands where the bedside's deposits and payments do.
 */
import type { HisFeeLine, HisWardClient } from '../../insurance/his';
import { fen } from '../../shared/money';
import type { BillableOrder, StayBooked } from '../ebill';
import type { Db } from '../store';
import { wardSettleId } from './movements';
import type { StaysRepo } from './stays-repo';

export interface BillableStayDeps {
  db: Db;
  stays: StaysRepo;
  his: Pick<HisWardClient, 'stay' | 'feeLines'>;
  /** The mobile order whose settlement the stay holds, if it was settled on the phone (wired with mobile payment). */
  phoneOrderOf?: ((iptNo: string, setlId: string) => string | null) | undefined;
}

/** mdtrt_cert_type 02: 居民身份证 — the only certificate whose number is the payer's ID number. */
const CERT_ID_CARD = '02';

export function stayBooked(d: Pick<BillableStayDeps, 'db' | 'stays'>, stayId: string): StayBooked | undefined {
  const stay = d.stays.get(stayId);
  if (!stay) return undefined;
  const row = d.db.prepare('SELECT name FROM operators WHERE id = ?').get(stay.operatorId) as { name: string } | undefined;
  // HIS's own number of the booking (its settle id is the station's, too long for a busNo: at most 50 characters).
  const busNo = stay.state === 'completed' && stay.booking ? stay.booking.hisSettleNo : null;
  return { state: stay.state, busNo, operatorName: row?.name ?? stay.operatorId };
}

export async function billableStay(d: BillableStayDeps, stayId: string): Promise<BillableOrder> {
  const stay = d.stays.get(stayId);
  const booked = stayBooked(d, stayId);
  if (!stay?.settlement || !stay.booking || !booked?.busNo) throw new Error(`stay ${stayId} has no discharge booking`);
  const busNo = booked.busNo;
  const his = await d.his.stay({ iptNo: stay.iptNo });
  if (his.kind !== 'ok') throw new Error(`HIS stay ${stay.iptNo}: ${his.kind === 'rejected' ? his.message : his.detail}`);
  const s = stay.settlement;
  const onPhone = d.phoneOrderOf?.(stay.iptNo, s.setlId) != null;
  // The bedside's booking is under the station's settle id, the phone's under its mobile order's: found by HIS's number.
  const settleId = onPhone ? null : wardSettleId(stay.id, s.setlId);
  const booking = his.value.settlements?.find(
    (b) => (settleId === null || b.settleId === settleId) && b.setlId === s.setlId && b.hisSettleNo === busNo && b.state === 'settled',
  );
  if (!booking) throw new Error(`HIS holds no live booking ${busNo}`);
  const lines = netLines(await bookedLines(d, stay.iptNo, booking.settleId));
  const channelOf = new Map((his.value.deposits ?? []).map((x) => [x.depositNo, x.channel]));
  const sum = (xs: { amountFen: number }[]) => fen(xs.reduce((t, x) => t + x.amountFen, 0));
  // The phone paid the whole self-pay part from the wallet through the mobile-payment centre: no deposit applied.
  const paid: Record<'deposits' | 'payments', BillableOrder['payments']> = onPhone
    ? { deposits: [], payments: [{ channel: 'mobile', amountFen: fen(s.cashFen) }] }
    : {
        deposits: booking.deposits.map((x) => ({ channel: channelOf.get(x.depositNo) ?? 'cash', amountFen: x.amountFen })),
        payments: booking.payments.map((p) => ({ channel: p.channel, amountFen: p.amountFen })),
      };
  return {
    orderId: stay.id,
    busNo,
    busTime: booking.settledAt,
    operatorName: booked.operatorName,
    payer: { name: his.value.patientName, idCardNo: stay.cert.type === CERT_ID_CARD ? stay.cert.no : '' },
    insured: true,
    totalFen: fen(s.medfeeFen),
    split: { fundFen: fen(s.fundFen), accountFen: fen(s.acctFen), cashFen: fen(s.cashFen) },
    payments: [...paid.deposits, ...paid.payments],
    // The centre's charge level is not kept per uploaded line: '' (the bill prints none, nothing counted as own pay).
    lines: lines.map((l) => ({
      medListCodg: l.nationalCode,
      name: l.name,
      spec: l.spec,
      unit: l.unit,
      quantity: l.quantity,
      unitPriceFen: l.unitPriceFen,
      amountFen: l.amountFen,
      chargeLevel: '',
    })),
    visit: { visitNo: stay.iptNo, deptName: stay.dept.name, psnNo: stay.psnNo, insutype: stay.insutype, setlId: s.setlId },
    stay: {
      admittedAt: new Date(his.value.admittedAt).toISOString(),
      dischargedAt: new Date(his.value.dischargeOrderedAt ?? booking.settledAt).toISOString(),
      depositFen: sum(paid.deposits),
      collectedFen: sum(paid.payments),
      refundedFen: fen(stay.booking.surplusFen),
    },
  };
}

/** Every line of the stay HIS marked with the booking, page by page. */
async function bookedLines(d: BillableStayDeps, iptNo: string, settleId: string): Promise<HisFeeLine[]> {
  const out: HisFeeLine[] = [];
  for (let after = 0; ;) {
    const page = await d.his.feeLines(iptNo, after, 1000);
    if (page.kind !== 'ok') throw new Error(`HIS fee lines of ${iptNo}: ${page.kind === 'rejected' ? page.message : page.detail}`);
    out.push(...page.value.lines.filter((l) => l.settleId === settleId));
    const last = page.value.lines.at(-1)?.lineNo ?? page.value.lastLine;
    if (last >= page.value.lastLine || page.value.lines.length === 0) return out;
    after = last;
  }
}

/** A line taken back goes with its original (the centre holds neither: 2302 cancelled it). */
function netLines(lines: HisFeeLine[]): HisFeeLine[] {
  const takenBack = new Set(lines.filter((l) => l.reversesLine !== null).map((l) => l.reversesLine));
  return lines.filter((l) => l.reversesLine === null && !takenBack.has(l.lineNo));
}
