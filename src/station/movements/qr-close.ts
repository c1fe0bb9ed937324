/**
 * A QR on a screen closed by the person who put it there — the cashier's Esc at the window, the nurse's at the
 * bedside — because the patient will pay otherwise, or not at all. Said once for both: the platform's close, its
 * reverse when the vendor refuses a close in a QR's first minutes, and the outbox told to ask at once. Nothing is
 * written here: the QR's movement learns from the next query whether it closed or was paid just before.
 */
import { StationError } from '../../shared/result';
import type { Outbox } from '../outbox';
import type { PaymentPort } from '../ports';

export interface QrCloseDeps {
  pay: Pick<PaymentPort, 'close' | 'reverse'>;
  outbox: Pick<Outbox, 'resolveOrderNow'>;
}

/** Closes the QR `outTradeNo` of `orderId` (an order or a stay) at the platform; throws what the operator is told. */
export async function closeQrAtPlatform(d: QrCloseDeps, orderId: string, outTradeNo: string): Promise<void> {
  // The vendors refuse a close in the first minutes of a QR's life (WeChat: 5 min), then the platform's cancel
  // (reverse) does it — closing an unpaid order, refunding one the patient paid at the same moment.
  const o = await d.pay.close(outTradeNo);
  if (o.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', '关闭二维码无应答，请稍后重试');
  if (o.kind === 'rejected' && o.code === 'CLOSE_TOO_EARLY') {
    const r = await d.pay.reverse(outTradeNo);
    if (r.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', '撤销二维码无应答，请稍后重试');
    if (r.kind === 'rejected') throw new StationError('CONFLICT', `二维码暂时不能关闭：${r.message}`);
  } else if (o.kind === 'rejected' && o.code !== 'ORDERPAID') {
    throw new StationError('CENTRE_REJECTED', `关闭二维码失败：${o.message}`);
  }
  // Closed, or paid just before (ORDERPAID): the next query tells the outbox which — a paid one ends paid.
  d.outbox.resolveOrderNow(orderId);
}
