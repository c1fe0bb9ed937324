/**
 * HM-09 and HM-10: the settlement's result — asked again every few seconds while its outcome is open (结算结果确认中,
 * never a second payment) — and the refund application, confirmed before it is sent.
 */
import { useCallback, useEffect, useState } from 'react';
import { newKey, Refund, Settlement, type PhoneApi } from './api';
import { ActionBar, Loading, Money, Notice, Row } from './parts';
import { asPageError } from './SettleStep';

const OPEN = new Set<Settlement['state']>(['preparing', 'paying', 'unknown', 'refunding']);
const POLL_MS = 3000;

const TITLE: Record<Settlement['state'], [string, 'ok' | 'warn' | 'error' | 'info']> = {
  paid: ['结算成功', 'ok'],
  preparing: ['结算结果确认中', 'warn'],
  paying: ['结算结果确认中', 'warn'],
  unknown: ['结算结果确认中', 'warn'],
  failed: ['结算未成功，未扣款', 'error'],
  refunding: ['退费处理中', 'warn'],
  refunded: ['已退费', 'info'],
};

export function ResultStep({
  api,
  settlementId,
  first,
  onGuidance,
  onRetry,
}: {
  api: PhoneApi;
  settlementId: string;
  first: Settlement | null;
  onGuidance: () => void;
  onRetry: () => void;
}) {
  const [s, setS] = useState<Settlement | null>(first);
  const [error, setError] = useState<string | null>(null);
  const [refunding, setRefunding] = useState<'closed' | 'asking' | 'sending'>('closed');
  const [reason, setReason] = useState('');

  const load = useCallback(
    () =>
      api.get(`settlements/${encodeURIComponent(settlementId)}`, Settlement).then(
        (v) => {
          setS(v);
          setError(null);
        },
        (e: unknown) => setError(asPageError(e).message),
      ),
    [api, settlementId],
  );
  useEffect(() => {
    if (s === null) void load();
  }, [s, load]);
  useEffect(() => {
    if (!s || !OPEN.has(s.state)) return;
    const t = setTimeout(() => void load(), POLL_MS);
    return () => clearTimeout(t);
  }, [s, load]);

  const applyRefund = async () => {
    setRefunding('sending');
    try {
      await api.post(`settlements/${encodeURIComponent(settlementId)}/refund-applications`, { reason: reason.trim() }, Refund, newKey());
      setRefunding('closed');
      await load();
    } catch (e) {
      setError(asPageError(e).message);
      setRefunding('asking');
    }
  };

  if (!s)
    return (
      <main className="ph-main">
        {error ? (
          <Notice tone="error" title="查询结算结果失败">
            {error}
          </Notice>
        ) : (
          <Loading what="查询结算结果" />
        )}
      </main>
    );
  const [title, tone] = TITLE[s.state];
  const lastRefund = s.refunds.at(-1);
  const reasonOk = reason.trim().length >= 2;
  return (
    <>
      <main className="ph-main" data-testid="result">
        <Notice tone={tone} title={title} testId="result-state">
          {OPEN.has(s.state) ? '正在向医保中心和支付平台确认，请勿重复支付，本页会自动刷新。' : s.detail}
        </Notice>
        <section className="ph-card">
          <Row label="医疗费用总额">
            <Money fen={s.medfeeFen} />
          </Row>
          <Row label="统筹基金支付">
            <Money fen={s.fundFen} />
          </Row>
          <Row label="个人账户支付">
            <Money fen={s.acctFen} />
          </Row>
          <Row label="个人自付" strong>
            <Money fen={s.cashFen} testId="result-cash" />
          </Row>
          {s.payOrderId ? <Row label="支付订单号">{s.payOrderId}</Row> : null}
        </section>
        {lastRefund ? (
          <Notice
            tone={lastRefund.state === 'refused' ? 'error' : 'info'}
            title={`退费申请：${REFUND_STATE[lastRefund.state] ?? lastRefund.state}`}
            testId="refund-state"
          >
            原因：{lastRefund.reason}
            {lastRefund.detail ? `；${lastRefund.detail}` : ''}
          </Notice>
        ) : null}
        {refunding !== 'closed' ? (
          <section className="ph-card" aria-label="申请退费">
            <h2 className="ph-h2">申请退费</h2>
            <p className="ph-muted">医保部分冲销，自付部分原路退回微信/支付宝。</p>
            <label className="ph-label" htmlFor="refund-reason">
              退费原因
            </label>
            <textarea
              id="refund-reason"
              className="ph-textarea"
              maxLength={200}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </section>
        ) : null}
        {error ? (
          <Notice tone="error" title="操作未完成">
            {error}
          </Notice>
        ) : null}
      </main>
      <ActionBar>
        {refunding !== 'closed' ? (
          <>
            <button type="button" className="ph-secondary" onClick={() => setRefunding('closed')} disabled={refunding === 'sending'}>
              取消
            </button>
            <button type="button" className="ph-danger" onClick={() => void applyRefund()} disabled={!reasonOk || refunding === 'sending'}>
              {refunding === 'sending' ? '提交中…' : '确认申请退费'}
            </button>
          </>
        ) : s.state === 'failed' ? (
          <button type="button" className="ph-primary" onClick={onRetry}>
            重新结算
          </button>
        ) : OPEN.has(s.state) ? (
          <button type="button" className="ph-primary" onClick={() => void load()}>
            刷新结果
          </button>
        ) : (
          <>
            {s.state === 'paid' && !lastRefund ? (
              <button type="button" className="ph-secondary" onClick={() => setRefunding('asking')}>
                申请退费
              </button>
            ) : null}
            <button type="button" className="ph-primary" onClick={onGuidance}>
              出院指引
            </button>
          </>
        )}
      </ActionBar>
    </>
  );
}

const REFUND_STATE: Record<string, string> = { applied: '已提交', refunded: '已退款', refused: '未通过', unknown: '处理中' };
