import { useCallback, useEffect, useState } from 'react';
import type { OrderView, PaymentWalletName } from '../../../shared/domain';
import type { ApiError, Result } from '../../../shared/result';
import { useStation, useStationEvent } from '../../common/station-context';

/**
 * The identified patient's outpatient orders and the steps on them. Answers and `orderUpdated` events (the
 * outbox finishing a step in the background) both replace an order by id, so the screen shows the latest state.
 */
export function useOrders(identificationId: string) {
  const api = useStation();
  const [orders, setOrders] = useState<OrderView[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const put = useCallback((order: OrderView) => setOrders((list) => (list ?? []).map((o) => (o.id === order.id ? order : o))), []);

  useEffect(() => {
    let current = true;
    setOrders(null);
    setError(null);
    void api.listOrders({ identificationId }).then((r) => {
      if (!current) return;
      if (r.ok) setOrders(r.value);
      else setError(r.error);
    });
    return () => {
      current = false;
    };
  }, [api, identificationId]);

  useStationEvent('orderUpdated', (order) => {
    if (orders?.some((o) => o.id === order.id)) put(order);
  });

  const step = useCallback(
    async (label: string, call: () => Promise<Result<OrderView>>) => {
      setBusy(label);
      setError(null);
      const r = await call();
      setBusy(null);
      if (r.ok) put(r.value);
      else setError(r.error);
    },
    [put],
  );

  return {
    orders,
    error,
    busy,
    preSettle: (orderId: string) => step('正在预结算…', () => api.preSettleOrder({ orderId })),
    settle: (orderId: string) => step('正在医保结算…', () => api.settleOrder({ orderId })),
    payByCode: (orderId: string, scanId: string) => step('正在收款…', () => api.payOrderByCode({ orderId, scanId })),
    payByCard: (orderId: string) => step('请患者在银行卡终端插卡（或挥卡）并输入密码…', () => api.payOrderByCard({ orderId })),
    payByCash: (orderId: string, tenderedFen: number) => step('正在记录现金收款…', () => api.payOrderByCash({ orderId, tenderedFen })),
    cancelSettlement: (orderId: string, reason?: string) =>
      step('正在撤销医保结算、费用明细与挂号…', () => api.cancelOrderSettlement({ orderId, ...(reason ? { reason } : {}) })),
    payByQr: (orderId: string, wallet?: PaymentWalletName) =>
      step('正在生成收款二维码…', () => api.payOrderByQr(wallet ? { orderId, wallet } : { orderId })),
    cancelPayment: (orderId: string) => step('正在关闭收款二维码…', () => api.cancelOrderPayment({ orderId })),
    selfPay: (orderId: string) => step('正在自费结算…', () => api.selfPayOrder({ orderId })),
  };
}
