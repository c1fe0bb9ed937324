import { Alert, Button } from 'antd';
import { useState } from 'react';
import type { StayView, WindowDepositRefundView } from '../../../shared/inpatient';
import { formatYuan } from '../../../shared/money';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { useHotkey } from '../../common/use-hotkey';
import { useStation, useStationEvent } from '../../common/station-context';
import { useStationQuery } from '../../common/use-station-query';
import { KeyConfirm } from './KeyConfirm';
import { printSlipInShell } from '../receipt';
import { maskPersonName } from './today-list';

/**
 * The idle window's pending deposit refunds (issue 15): a discharge surplus the bedside could not send back to a
 * wallet (请到窗口办理). The oldest is paid out in cash by Alt+T, confirmed by Enter; HIS records it refunded in cash.
 * Nothing shows while none is waiting.
 */
export function WindowDepositRefunds() {
  const api = useStation();
  const list = useStationQuery((a) => a.listWindowDepositRefunds({}));
  // A bedside sends a surplus here while the cashier works: it shows without a reload (another window may pay it out).
  useStationEvent('stayUpdated', () => list.reload());
  const [asking, setAsking] = useState<WindowDepositRefundView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<{ who: WindowDepositRefundView; stay: StayView; slip: string } | null>(null);
  const waiting = list.status === 'ready' ? list.value : [];
  const first = waiting[0] ?? null;
  useHotkey('Alt+T', () => first && setAsking(first), { enabled: first !== null && !busy && asking === null });

  async function payOut(r: WindowDepositRefundView) {
    setAsking(null);
    setBusy(true);
    setError(null);
    try {
      const answer = await api.payOutDepositRefund({ stayId: r.stayId });
      if (answer.ok) {
        // The 预交金退款凭证 goes with the notes: printed at once, its outcome said beside the result.
        const words = await printRefundSlip(api, r.stayId);
        setDone({ who: r, stay: answer.value, slip: words });
      } else setError(answer.error);
      list.reload();
    } finally {
      setBusy(false);
    }
  }

  if (waiting.length === 0 && !done && !error) return null;
  return (
    <section className="window-refunds" aria-label="待退预交金" data-testid="window-refunds">
      <header className="window-refunds__header">
        <h2>待退预交金（出院余额）{waiting.length} 笔</h2>
        {first && (
          <Button size="small" type="primary" data-testid="window-refund-pay" disabled={busy} onClick={() => setAsking(first)}>
            现金退款 <kbd>Alt+T</kbd>
          </Button>
        )}
      </header>
      <ul>
        {waiting.map((r) => (
          <li key={r.stayId} data-testid="window-refund-row">
            住院号 {r.iptNo} · {r.bedNo} 床 · {maskPersonName(r.patientName)} · <strong>{formatYuan(r.amountFen)}</strong>
          </li>
        ))}
      </ul>
      {done && (
        <Alert
          type="success"
          showIcon
          data-testid="window-refund-done"
          message={`已现金退款 ${formatYuan(done.stay.surplus?.amountFen ?? done.who.amountFen)} 给 ${maskPersonName(done.who.patientName)}（住院号 ${done.who.iptNo}），HIS 已登记`}
          description={done.slip}
        />
      )}
      {error && <ErrorNotice error={error} testId="window-refund-error" />}
      {asking && (
        <KeyConfirm
          title="预交金余额现金退款"
          okText="已付现金"
          danger
          testId="confirm-window-refund"
          onOk={() => void payOut(asking)}
          onCancel={() => setAsking(null)}
        >
          <p>
            从钱箱付给 {maskPersonName(asking.patientName)}（住院号 {asking.iptNo}，{asking.bedNo} 床）现金 {formatYuan(asking.amountFen)}
            ，付款后按 Enter。
          </p>
        </KeyConfirm>
      )}
    </section>
  );
}

/** In the Electron shell silently on the window's printer; elsewhere by the core's own printer where it has one. */
async function printRefundSlip(api: ReturnType<typeof useStation>, stayId: string): Promise<string> {
  const inShell = await printSlipInShell(window, { kind: 'deposit-refund', stayId });
  if (inShell) return 'ok' in inShell ? inShell.ok : inShell.warn;
  const slip = await api.printDepositRefundSlip({ stayId });
  if (!slip.ok) return `退款凭证未打印：${slip.error.message}`;
  return slip.value.printed
    ? `退款凭证已发送到打印机：${slip.value.printed.printer}`
    : '退款凭证未打印：本工作站的核心没有可用的打印机，请在 系统管理 › 打印机 中设置';
}
