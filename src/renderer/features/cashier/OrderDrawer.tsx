import { Alert, Button, Drawer, Table, Tag, type TableColumnsType } from 'antd';
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import {
  ORDER_STATE_LABELS,
  PAYMENT_STATE_LABELS,
  SETTLE_MODE_LABELS,
  type OrderLineView,
  type OrderView,
  type PaymentView,
} from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { paymentWayLabel } from '../../common/format';
import { modalDepth, useModalLayer } from '../../common/modal-layer';
import { useStation } from '../../common/station-context';
import { ReceiptDialog } from '../receipt';
import { FEE_LINE_COLUMNS } from './FeeList';
import { RefundConfirm } from './RefundConfirm';
import { ORDER_STATE_COLORS } from './order-labels';
import { detailKeys, maskPersonName, refundRefusalNextStep } from './today-list';

const PAYMENT_COLUMNS: TableColumnsType<PaymentView> = [
  {
    title: '渠道',
    key: 'wallet',
    width: 150,
    render: (_, p) => paymentWayLabel(p),
  },
  { title: '金额', key: 'amount', width: 100, align: 'right', render: (_, p) => formatYuan(p.amountFen) },
  { title: '交易号', dataIndex: 'outTradeNo', ellipsis: true, render: (v: string) => <span className="code">{v}</span> },
  { title: '状态', key: 'state', width: 80, render: (_, p) => PAYMENT_STATE_LABELS[p.state] },
];

/** The line's place in the list: the digit that ticks it. */
const LINE_NO_COLUMN: TableColumnsType<OrderLineView>[number] = {
  title: '键',
  key: 'digit',
  width: 36,
  align: 'center',
  render: (_, _l, i) => (i < 9 ? <kbd>{i + 1}</kbd> : ''),
};

const sumOf = (lines: readonly OrderLineView[]) => lines.reduce((sum, l) => sum + l.amountFen, 0);

interface OrderDrawerProps {
  order: OrderView;
  canRefund: boolean;
  onClose: () => void;
}

/**
 * One of today's orders opened from the list: its fee lines (HX-42), amounts and payments, with 补打 (F9) and 退费
 * (Del, confirmed by key with a reason). Digits 1–9 tick lines for a refund by line (部分退费); Del then refunds
 * only those (every line ticked is the whole bill). The order is the live one from the list, so 退费中 → 已退费
 * shows as the core moves it. The drawer's keys rest while the confirm step or the slip is up, which take their own.
 */
export function OrderDrawer({ order, canRefund, onClose }: OrderDrawerProps) {
  useModalLayer();
  const ownDepth = useRef(0);
  useEffect(() => {
    ownDepth.current = modalDepth(); // this drawer's layer, counted by the effect above
  }, []);
  const api = useStation();
  const [confirming, setConfirming] = useState(false);
  const [slip, setSlip] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [ticked, setTicked] = useState<number[]>([]);
  const keys = detailKeys(order, { canRefund, busy });
  const live = (key: string) => keys.some((k) => k.key === key && k.enabled);
  // Lines can be ticked only where a refund can start, and only when there is more than one.
  const ticking = live('Del') && order.lines.length > 1;
  const partial = ticking && ticked.length > 0 && ticked.length < order.lines.length;
  const tickedLines = order.lines.filter((l) => ticked.includes(l.seq));
  const toggle = (seq: number) => setTicked((t) => (t.includes(seq) ? t.filter((s) => s !== seq) : [...t, seq]));

  const refund = async (reason: string) => {
    setConfirming(false);
    setBusy(true);
    setError(null);
    const r = await api.refundOrder({ orderId: order.id, reason, lines: partial ? ticked : [] });
    setBusy(false);
    if (!r.ok) setError(r.error);
    else setTicked([]);
  };

  const onKey = useEffectEvent((event: KeyboardEvent) => {
    // The lock overlay (or any modal) opened above the drawer takes the keys.
    if (event.repeat || event.altKey || event.ctrlKey || event.metaKey || modalDepth() > ownDepth.current) return;
    const act: Record<string, () => void> = {
      F9: () => setSlip(true),
      Delete: () => setConfirming(true),
      Escape: onClose,
    };
    const key = event.key === 'Delete' ? 'Del' : event.key === 'Escape' ? 'Esc' : event.key;
    const line = /^[1-9]$/.test(event.key) ? order.lines[Number(event.key) - 1] : undefined;
    if (line && ticking) {
      event.preventDefault();
      event.stopPropagation();
      toggle(line.seq);
      return;
    }
    const run = act[event.key];
    if (!run) return;
    event.preventDefault();
    event.stopPropagation();
    if (live(key)) run();
  });
  const resting = confirming || slip;
  useEffect(() => {
    if (resting) return;
    const listener = (event: KeyboardEvent) => onKey(event);
    window.addEventListener('keydown', listener, { capture: true });
    return () => window.removeEventListener('keydown', listener, { capture: true });
  }, [resting]);

  // A refusal (HIS: drugs dispensed; the centre) leaves the bill completed with the refuser's words as its reason.
  const refusal = order.reason === 'refund-refused' ? order.detail : error?.code === 'CONFLICT' ? `退费未办理：${error.message}` : null;
  const split = order.split;
  return (
    <Drawer
      open
      // under the lock overlay (z-index 100) and the slip's layer: the locked window shows nothing of the patient
      zIndex={90}
      placement="right"
      size={760}
      keyboard={false}
      maskClosable={false}
      closable={false}
      title={
        <span className="order-drawer__title">
          收费单 <span className="code">{order.hisOrderNo}</span> · {maskPersonName(order.patientName)}
          <Tag color={ORDER_STATE_COLORS[order.state]} data-testid="detail-state" data-state={order.state}>
            {ORDER_STATE_LABELS[order.state]}
          </Tag>
        </span>
      }
      rootClassName="order-drawer"
      footer={
        <div className="order-drawer__keys" data-testid="detail-keys">
          {keys.map((k) => (
            <Button
              key={k.key}
              size="small"
              danger={k.key === 'Del'}
              disabled={!k.enabled}
              data-testid={`detail-key-${k.key}`}
              onClick={() => (k.key === 'F9' ? setSlip(true) : k.key === 'Del' ? setConfirming(true) : onClose())}
            >
              {k.label} <kbd>{k.key}</kbd>
            </Button>
          ))}
        </div>
      }
    >
      <div className="order-drawer__body" data-testid="order-detail" data-order-id={order.id}>
        <dl className="order-drawer__facts">
          <div>
            <dt>科室 · 医生</dt>
            <dd>
              {order.deptName} · {order.doctorName}
            </dd>
          </div>
          <div>
            <dt>结算方式</dt>
            <dd>{SETTLE_MODE_LABELS[order.settleMode]}</dd>
          </div>
          <div>
            <dt>合计</dt>
            <dd className="tabular" data-testid="detail-total">
              {formatYuan(order.totalFen)}
            </dd>
          </div>
          <div>
            <dt>统筹</dt>
            <dd className="tabular">{split ? formatYuan(split.fundFen) : '—'}</dd>
          </div>
          <div>
            <dt>个人账户</dt>
            <dd className="tabular">{split ? formatYuan(split.accountFen) : '—'}</dd>
          </div>
          <div>
            <dt>自付</dt>
            <dd className="tabular" data-testid="detail-cash">
              {split ? formatYuan(split.cashFen) : '—'}
            </dd>
          </div>
        </dl>
        {order.detail && refusal === null && (
          <p className="order-drawer__detail" data-testid="detail-reason">
            {order.detail}
          </p>
        )}
        {busy && (
          <p className="order-drawer__detail" role="status" data-testid="detail-busy">
            正在办理退费…
          </p>
        )}
        {refusal !== null ? (
          <Alert
            type="warning"
            showIcon
            role="alert"
            className="notice"
            data-testid="refund-refused"
            title={<span className="notice__title">{refusal}</span>}
            description={<span className="notice__next">{refundRefusalNextStep(refusal)}</span>}
          />
        ) : (
          error && <ErrorNotice error={error} testId="refund-error" />
        )}
        {ticking && (
          <p className="order-drawer__detail" data-testid="detail-tick-hint">
            部分退费：按数字键 <kbd>1</kbd>–<kbd>{Math.min(9, order.lines.length)}</kbd> 勾选项目，再按 <kbd>Del</kbd>
            {partial && (
              <span data-testid="detail-ticked">
                （已选 {tickedLines.length} 项，{formatYuan(sumOf(tickedLines))}）
              </span>
            )}
          </p>
        )}
        <div className="order-drawer__lines" data-testid="detail-lines">
          <Table<OrderLineView>
            size="small"
            columns={ticking ? [LINE_NO_COLUMN, ...FEE_LINE_COLUMNS] : FEE_LINE_COLUMNS}
            dataSource={order.lines}
            rowKey="seq"
            pagination={false}
            locale={{ emptyText: '无明细' }}
            {...(ticking
              ? {
                  rowSelection: {
                    selectedRowKeys: ticked,
                    columnWidth: 32,
                    onChange: (seqs) => setTicked(seqs.map(Number)),
                  },
                }
              : {})}
          />
        </div>
        <div className="order-drawer__payments" data-testid="detail-payments">
          <Table<PaymentView>
            size="small"
            columns={PAYMENT_COLUMNS}
            dataSource={order.payments}
            rowKey="outTradeNo"
            pagination={false}
            locale={{ emptyText: '无自付支付（医保或个人账户全额支付）' }}
          />
        </div>
      </div>
      {confirming && (
        <RefundConfirm
          partial={partial}
          summary={
            partial
              ? `收费单 ${order.hisOrderNo}，退 ${tickedLines.length} 项：${tickedLines.map((l) => l.name).join('、')}，共 ${formatYuan(sumOf(tickedLines))}。`
              : `收费单 ${order.hisOrderNo}，合计 ${formatYuan(order.totalFen)}，其中自付 ${split ? formatYuan(split.cashFen) : '—'}。`
          }
          onOk={(reason) => void refund(reason)}
          onCancel={() => setConfirming(false)}
        />
      )}
      {slip && <ReceiptDialog orderId={order.id} onClose={() => setSlip(false)} />}
    </Drawer>
  );
}
