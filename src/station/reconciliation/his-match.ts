/**
 * The day's HIS bookings as the ledger has them ('his-booking' events: settle.confirm, settle.selfpay, the ward's
 * settlement) matched with HIS's own account of the day (account.day), by the station's settle id: each booking
 * must be on both sides with the same total and cash part. A booking HIS made and then cancelled because the station
 * compensated it ('his-booking-reversed' that day) is no difference. A partial refund's booking of the rest
 * (refund.confirm, under the station's new settle id) is the station's through its confirm ('refund-his-confirm',
 * naming HIS's number for it), with the amounts of the rest's resettlement at the centre when the order was insured.
 */
import type { HisDayAccount } from '../../insurance/his';
import type { HisDifferenceKind, HisDifferenceView, HisMatchView } from '../../shared/reconciliation';
import type { LedgerEvent } from '../hospital-ledger';

const SUGGESTIONS: Record<HisDifferenceKind, string> = {
  'his-only': 'HIS记账、院内账本无：查该笔是否在收费处离线未上传；确无收费的，由HIS撤销记账',
  'ledger-only': '院内已收费、HIS无记账：在HIS按结算号补记，或核实后由收费处退费',
  differ: '双方金额不一致：以医保结算（5203）与支付记录核对，更正HIS记账',
};

export function matchHisAccount(events: readonly LedgerEvent[], account: HisDayAccount): HisMatchView {
  const ledger = new Map<string, LedgerEvent>();
  const compensated = new Set<string>();
  const confirmedRest = new Map<string, LedgerEvent>();
  const settledBySetlId = new Map<string, LedgerEvent>();
  for (const e of events) {
    if (e.kind === 'settlement' && e.ids.setlId) settledBySetlId.set(e.ids.setlId, e);
    if (e.kind === 'refund-his-confirm' && e.ids.hisSettleNo) confirmedRest.set(e.ids.hisSettleNo, e);
    const id = e.ids.hisSettleId;
    if (!id) continue;
    if (e.kind === 'his-booking') ledger.set(id, e);
    if (e.kind === 'his-booking-reversed') compensated.add(id);
  }
  let ledgerBookings = ledger.size;
  const differences: HisDifferenceView[] = [];
  const diff = (kind: HisDifferenceKind, settleId: string, his: HisDayAccount['bookings'][number] | null, e: LedgerEvent | null) =>
    differences.push({
      kind,
      settleId,
      hisSettleNo: his?.hisSettleNo ?? e?.ids.hisSettleNo ?? null,
      stationId: e?.stationId ?? null,
      orderId: e?.orderId ?? null,
      hisMedfeeFen: his?.medfeeFen ?? null,
      ledgerMedfeeFen: e ? (e.amounts.total ?? null) : null,
      hisCashFen: his?.cashFen ?? null,
      ledgerCashFen: e ? (e.amounts.cash ?? null) : null,
      suggestion: SUGGESTIONS[kind],
    });
  for (const b of account.bookings) {
    const e = ledger.get(b.settleId);
    ledger.delete(b.settleId);
    if (!e) {
      const confirm = confirmedRest.get(b.hisSettleNo);
      if (confirm && confirm.ids.hisSettleId !== b.settleId) {
        ledgerBookings += 1;
        const resettled = confirm.ids.setlId ? settledBySetlId.get(confirm.ids.setlId) : undefined;
        if (resettled && (b.medfeeFen !== (resettled.amounts.total ?? 0) || b.cashFen !== (resettled.amounts.cash ?? 0)))
          diff('differ', b.settleId, b, resettled);
        continue;
      }
      if (!(b.state === 'cancelled' && compensated.has(b.settleId))) diff('his-only', b.settleId, b, null);
      continue;
    }
    if (b.medfeeFen !== (e.amounts.total ?? 0) || b.cashFen !== (e.amounts.cash ?? 0)) diff('differ', b.settleId, b, e);
  }
  for (const [settleId, e] of ledger) diff('ledger-only', settleId, null, e);
  return { balanced: differences.length === 0, error: null, hisBookings: account.bookings.length, ledgerBookings, differences };
}
