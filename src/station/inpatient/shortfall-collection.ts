/**
 * A discharge's shortfall (出院补缴) collected at the bedside: when the deposits do not cover the settlement's
 * self-pay part, the difference is paid by the patient's payment code on the scan box or a QR on the nurse's screen
 * — the window's two wallet payments (movements/wallet-payments.ts) on the stay's own rows. Once paid, HIS books the
 * discharge with the deposits and the payment (the service's settleDischarge); a QR paid later is booked when the
 * resolver finishes it (continueAfter). A payment that ended without money leaves the stay settled, to collect again;
 * the nurse closes a QR the way the cashier does (Esc), so the patient can pay by code at once instead.
 */
import { StationError } from '../../shared/result';
import { fen, type Fen } from '../../shared/money';
import type { Payment, PaymentWallet } from '../../insurance/pay-channel';
import { closeQrAtPlatform, MOVEMENT_KINDS, type MicropayPayload, type QrPayload } from '../movements';
import type { Outbox } from '../outbox';
import type { PaymentPort } from '../ports';
import type { StationIds } from '../ids';
import type { ScanRegistry } from '../scans';
import type { StayPaymentsRepo } from './stay-payments-repo';
import type { StayRecord, StaysRepo } from './stays-repo';

export interface ShortfallDeps {
  stays: StaysRepo;
  payments: StayPaymentsRepo;
  outbox: Outbox;
  /** The platform, for the nurse's close of a QR (its other calls are the movements'). */
  pay: Pick<PaymentPort, 'close' | 'reverse'>;
  scans: Pick<ScanRegistry, 'take'>;
  ids: Pick<StationIds, 'rowId' | 'outTradeNo'>;
  now: () => Date;
  /** How long a QR stays payable. */
  qrTtlMs: number;
  /** HIS books the settled stay with what was paid (InpatientService.settleDischarge). */
  book: (stayId: string) => Promise<StayRecord>;
}

/** A QR's intent is asked after for this long past the QR's expiry: the platform's clock and ours differ a little. */
const QR_GRACE_MS = 5_000;

export class ShortfallCollection {
  constructor(private readonly d: ShortfallDeps) {}

  /** The patient's payment code, scanned by the scan box, pays what the deposits left; HIS books it next. */
  async payByCode(stayId: string, scanId: string): Promise<StayRecord> {
    const { d } = this;
    const { stay, dueFen } = this.due(stayId);
    const scan = d.scans.take(scanId);
    if (!scan) throw new StationError('SCAN_EXPIRED', '付款码已失效，请患者刷新付款码后重新扫码');
    if (scan.kind !== 'wechat-pay' && scan.kind !== 'alipay-pay') throw new StationError('INVALID_ARGUMENT', '这不是微信或支付宝付款码');
    const outTradeNo = d.ids.outTradeNo(stay.iptNo, 'P');
    const payload: MicropayPayload = { outTradeNo, totalFee: dueFen, subject: subject(stay), authCode: scan.code };
    const r = await d.outbox.run<MicropayPayload, Payment>(MOVEMENT_KINDS.wardMicropay, {
      orderId: stay.id,
      externalId: outTradeNo,
      payload,
      prepare: () => d.payments.insert({ id: d.ids.rowId(), stayId: stay.id, outTradeNo, amountFen: dueFen, mode: 'micropay' }, d.now()),
    });
    if (r.state === 'failed') throw new StationError('CENTRE_REJECTED', `付款码收款失败：${r.detail}；请患者换一个付款码或改用扫码支付`);
    if (r.state === 'unknown') throw new StationError('OUTCOME_UNKNOWN', '付款结果未知 — 正在自动核实，请稍候');
    return d.book(stay.id);
  }

  /** A QR for what the deposits left, on the nurse's screen; the resolver asks after it and HIS books it once paid. */
  async payByQr(stayId: string, wallet?: PaymentWallet): Promise<StayRecord> {
    const { d } = this;
    const { stay, dueFen } = this.due(stayId);
    const now = d.now().getTime();
    const outTradeNo = d.ids.outTradeNo(stay.iptNo, 'Q');
    const payload: QrPayload = {
      outTradeNo,
      totalFee: dueFen,
      subject: subject(stay),
      expiresAt: now + d.qrTtlMs,
      windowMs: d.qrTtlMs + QR_GRACE_MS,
      ...(wallet ? { wallet } : {}),
    };
    const expiresAt = new Date(now + d.qrTtlMs).toISOString();
    const r = await d.outbox.run<QrPayload, Payment>(MOVEMENT_KINDS.wardQr, {
      orderId: stay.id,
      externalId: outTradeNo,
      payload,
      prepare: () =>
        d.payments.insert({ id: d.ids.rowId(), stayId: stay.id, outTradeNo, amountFen: dueFen, mode: 'precreate', expiresAt }, d.now()),
    });
    if (r.state === 'failed') throw new StationError('CENTRE_REJECTED', `二维码生成失败：${r.detail}；可改用付款码收款`);
    return d.stays.get(stay.id)!;
  }

  /**
   * The nurse closes the QR on the screen, as the window's cashier does: closed (or reversed) at the platform, then
   * the outbox asks at once — an unpaid QR ends closed and the stay waits to be collected again; one the patient
   * paid just before ends paid and HIS books it (continueAfter), never closed with the money kept.
   */
  async cancelQr(stayId: string): Promise<StayRecord> {
    const { d } = this;
    const stay = d.stays.get(stayId);
    if (!stay) throw new StationError('NOT_FOUND', '没有这次住院登记');
    const qr = d.payments.pending(stay.id);
    if (qr?.mode !== 'precreate') throw new StationError('CONFLICT', '该次住院没有正在等待付款的补缴二维码');
    await closeQrAtPlatform(d, stay.id, qr.outTradeNo);
    return d.stays.get(stay.id)!;
  }

  /** The resolver finished a movement: a shortfall paid by QR (or a code resolved late) is booked at HIS now. */
  async continueAfter(e: { kind: string; orderId: string; final: string }): Promise<void> {
    if (e.kind !== MOVEMENT_KINDS.wardQr && e.kind !== MOVEMENT_KINDS.wardMicropay) return;
    const stay = this.d.stays.get(e.orderId);
    if (e.final !== 'succeeded' || stay?.state !== 'settled') return;
    await this.d.book(stay.id);
  }

  /** What is still to collect on a settled stay: its shortfall less what was paid; nothing while an attempt is open. */
  private due(stayId: string): { stay: StayRecord; dueFen: Fen } {
    const { d } = this;
    const stay = d.stays.get(stayId);
    if (!stay) throw new StationError('NOT_FOUND', '没有这次住院登记');
    if (stay.state !== 'settled' || stay.shortfallFen === 0) throw new StationError('CONFLICT', '该次住院没有需要补缴的金额');
    if (d.payments.pending(stay.id) || d.outbox.isLocked(stay.id))
      throw new StationError('ORDER_BUSY', '已有一笔补缴正在等待付款或核实，请稍候');
    const paid = d.payments.paid(stay.id).reduce((sum, p) => sum + p.amountFen, 0);
    if (paid >= stay.shortfallFen) throw new StationError('ORDER_BUSY', '补缴已收到，正在登记出院结算，请勿重复收费');
    return { stay, dueFen: fen(stay.shortfallFen - paid) };
  }
}

function subject(stay: StayRecord): string {
  return `出院结算补缴 ${stay.iptNo}`;
}
