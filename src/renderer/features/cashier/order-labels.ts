import { fen, type Fen } from '../../../shared/money';
import type { OrderView, PaymentView } from '../../../shared/domain';

export const PUSH_LABELS: Record<OrderView['push'], string> = {
  none: '无需推送',
  pending: '推送中',
  sent: '已推送至患者手机',
};

/** The QR on screen for this order, if one is waiting to be paid. */
export function pendingQr(order: OrderView): PaymentView | null {
  return order.payments.find((p) => p.mode === 'precreate' && p.state === 'pending' && p.qrCode) ?? null;
}

export function paidPayments(order: OrderView): PaymentView[] {
  return order.payments.filter((p) => p.state === 'paid');
}

// the wallet's label is shared with the receipt feature: it lives in common/
export { walletLabel } from '../../common/format';

/** What the patient still has to pay in this order's cash share. */
export function cashShareFen(order: OrderView): Fen {
  return order.split?.cashFen ?? (order.settleMode === 'self-pay' ? order.totalFen : fen(0));
}

/** The order the screen's function keys act on: the first one that has a next step. */
export function actionableOrder(orders: readonly OrderView[] | null): OrderView | undefined {
  return orders?.find((o) => ['open', 'previewed', 'awaiting-payment'].includes(o.state));
}

/** Each order state's antd Tag colour: grey at rest, blue in progress, amber waiting on someone, green done. */
export const ORDER_STATE_COLORS: Record<OrderView['state'], string> = {
  open: 'default',
  previewed: 'processing',
  'insurance-settled': 'processing',
  'awaiting-payment': 'warning',
  completed: 'success',
  reversed: 'default',
  expiring: 'warning',
  expired: 'default',
  reversing: 'warning',
  'in-doubt': 'warning',
  refunding: 'processing',
  refunded: 'default',
};
