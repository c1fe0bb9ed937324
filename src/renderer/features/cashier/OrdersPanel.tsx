import { ORDER_STATE_LABELS, type OrderView } from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';
import { ErrorNotice } from '../../common/ErrorNotice';
import { useStationEvent } from '../../common/station-context';
import { useHotkey } from '../../common/use-hotkey';
import { Button, DataTable, Kbd, Spinner, Tag, type Column, type Tone } from '../../ui';
import { useOrders } from './use-orders';

const STATE_TONES: Record<OrderView['state'], Tone> = {
  open: 'neutral',
  previewed: 'info',
  'insurance-settled': 'info',
  'awaiting-payment': 'warn',
  completed: 'ok',
  reversed: 'neutral',
  expiring: 'warn',
  expired: 'neutral',
  'in-doubt': 'warn',
};

const LINE_COLUMNS: readonly Column<OrderView['lines'][number]>[] = [
  { header: '项目', cell: (l) => l.name },
  { header: '规格', cell: (l) => l.spec, width: '140px' },
  { header: '数量', cell: (l) => `${l.quantity}${l.unit}`, width: '80px' },
  { header: '单价', cell: (l) => formatYuan(l.unitPriceFen), width: '100px' },
  { header: '金额', cell: (l) => formatYuan(l.amountFen), width: '110px' },
];

/**
 * HX-08..HX-26 at the window: the patient's HIS orders, pre-settlement (F4) showing the split, settlement (F5),
 * and the self-pay share collected from the payment code the patient shows to the scan box.
 */
export function OrdersPanel({ identificationId }: { identificationId: string }) {
  const { orders, error, busy, preSettle, settle, payByCode, cancelSettlement } = useOrders(identificationId);
  const actionable = orders?.find((o) => ['open', 'previewed', 'awaiting-payment'].includes(o.state));

  useHotkey('F4', () => {
    if (actionable?.state === 'open' && !busy) void preSettle(actionable.id);
  });
  useHotkey('F5', () => {
    if (actionable?.state === 'previewed' && !busy) void settle(actionable.id);
  });
  useStationEvent('scan', (scan) => {
    const awaiting = orders?.find((o) => o.state === 'awaiting-payment');
    if (awaiting && (scan.kind === 'wechat-pay' || scan.kind === 'alipay-pay') && !busy) void payByCode(awaiting.id, scan.scanId);
  });

  if (!orders && !error) {
    return (
      <div className="orders orders--loading" data-testid="orders-loading">
        <Spinner /> 正在从 HIS 获取待缴费处方…
      </div>
    );
  }
  return (
    <section className="orders" data-testid="orders-panel">
      {error && <ErrorNotice error={error} testId="order-error" />}
      {busy && (
        <div className="orders__busy" data-testid="order-busy">
          <Spinner /> {busy}
        </div>
      )}
      {orders?.length === 0 && <p className="orders__empty">该患者没有待缴费的处方</p>}
      {orders?.map((order) => (
        <article key={order.id} className="order-card" data-testid="order-card" data-state={order.state}>
          <header className="order-card__header">
            <div>
              <h3>
                收费单 <span className="code">{order.hisOrderNo}</span>
              </h3>
              <span className="order-card__meta">
                {order.deptName} · {order.doctorName}
              </span>
            </div>
            <Tag tone={STATE_TONES[order.state]} data-testid="order-state">
              {ORDER_STATE_LABELS[order.state]}
            </Tag>
          </header>
          <DataTable caption="费用明细" columns={LINE_COLUMNS} rows={order.lines} rowKey={(l) => l.seq} empty="无明细" />
          <div className="order-card__total">
            合计 <strong data-testid="order-total">{formatYuan(order.totalFen)}</strong>
          </div>
          {order.split && <SplitSummary order={order} />}
          {order.detail && <p className="order-card__detail">{order.detail}</p>}
          <OrderActions
            order={order}
            disabled={busy !== null}
            onPreSettle={() => void preSettle(order.id)}
            onSettle={() => void settle(order.id)}
            onCancel={() => void cancelSettlement(order.id)}
          />
        </article>
      ))}
    </section>
  );
}

function SplitSummary({ order }: { order: OrderView }) {
  const s = order.split!;
  return (
    <dl className="split" data-testid="order-split">
      <div>
        <dt>统筹基金</dt>
        <dd data-testid="order-split-fund">{formatYuan(s.fundFen)}</dd>
      </div>
      <div>
        <dt>个人账户</dt>
        <dd data-testid="order-split-account">{formatYuan(s.accountFen)}</dd>
      </div>
      <div className="split__cash">
        <dt>个人自付（微信/支付宝）</dt>
        <dd data-testid="order-split-cash">{formatYuan(s.cashFen)}</dd>
      </div>
    </dl>
  );
}

function OrderActions(props: { order: OrderView; disabled: boolean; onPreSettle: () => void; onSettle: () => void; onCancel: () => void }) {
  const { order, disabled } = props;
  switch (order.state) {
    case 'open':
      return (
        <div className="order-card__actions">
          <Button variant="primary" size="lg" data-testid="order-presettle" disabled={disabled} onClick={props.onPreSettle}>
            医保预结算 <Kbd>F4</Kbd>
          </Button>
        </div>
      );
    case 'previewed':
      return (
        <div className="order-card__actions">
          <Button variant="primary" size="lg" data-testid="order-settle" disabled={disabled} onClick={props.onSettle}>
            确认结算 <Kbd>F5</Kbd>
          </Button>
        </div>
      );
    case 'awaiting-payment':
      return (
        <div className="order-card__pay" data-testid="order-pay-prompt">
          <strong>请患者出示微信或支付宝付款码，在扫码墩上扫码支付 {formatYuan(order.split?.cashFen ?? 0)}</strong>
          <Button data-testid="order-cancel" disabled={disabled} onClick={props.onCancel}>
            撤销医保结算
          </Button>
        </div>
      );
    case 'in-doubt':
      return (
        <div className="order-card__doubt" role="status">
          <Spinner /> 结果未知 — 正在核实，完成前不能再次结算
        </div>
      );
    case 'completed':
      return <p className="order-card__done">结算完成，请患者到药房取药</p>;
    default:
      return null;
  }
}
