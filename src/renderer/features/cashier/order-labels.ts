import { fen, type Fen } from '../../../shared/money';
import type { OrderView, PaymentView } from '../../../shared/domain';

export const PUSH_LABELS: Record<OrderView['push'], string> = {
  none: '无需推送',
  pending: '推送中',
  sent: '已推送至患者手机',
};

type EBillState = NonNullable<OrderView['ebill']>['state'];

/** The order's fiscal e-bill (AQ-15), as the result's footer names it. */
export const EBILL_LABELS: Record<EBillState, string> = {
  issuing: '电子票据开具中',
  issued: '电子票据',
  refused: '电子票据被拒，待信息科重开',
  'red-flushed': '电子票据已冲红',
  'red-flush-refused': '电子票据冲红被拒，请联系信息科',
};

export const EBILL_COLORS: Record<EBillState, 'processing' | 'success' | 'error' | 'default'> = {
  issuing: 'processing',
  issued: 'success',
  refused: 'error',
  'red-flushed': 'default',
  'red-flush-refused': 'error',
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
