import { useEffect, useEffectEvent, useState } from 'react';
import { Alert, Button, Modal, Spin } from 'antd';
import { ORDER_STATE_LABELS, type OrderState } from '../../../shared/domain';
import type { ApiError } from '../../../shared/result';
import { fenToYuan } from '../../../shared/money';
import { ErrorNotice } from '../../common/ErrorNotice';
import { formatDateTime } from '../../common/format';
import { useModalLayer } from '../../common/modal-layer';
import { useStation } from '../../common/station-context';
import { useStationQuery } from '../../common/use-station-query';
import { KeyConfirm } from '../cashier';
import { printSlipInShell } from '../receipt';
import { DrawerCount } from './DrawerCount';
import { readDrawer, type DrawerTyped } from './drawer-reading';
import { ShiftSummaryView } from './ShiftSummaryView';

type Outcome = { ok: string } | { warn: string } | { error: ApiError } | null;

const stateLabel = (state: string) => (state in ORDER_STATE_LABELS ? ORDER_STATE_LABELS[state as OrderState] : state);

/**
 * 交班: the operator's open shift as it stands, 打印交班单 (F9) and 确认交班 (Enter, then Enter again to confirm);
 * the close signs the window out (the core ends the session). Esc closes the dialog without closing the shift.
 */
export function ShiftCloseDialog({ onClose }: { onClose: () => void }) {
  const api = useStation();
  const shift = useStationQuery((station) => station.currentShift({}));
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [drawer, setDrawer] = useState<DrawerTyped>({ counted: '', float: '' });
  useModalLayer();
  const ready = shift.status === 'ready' ? shift.value : null;
  const reading = ready ? readDrawer(drawer, ready.summary) : null;
  // The count must make sense before the close is asked for (a shift that moved cash must be counted).
  const mayClose = ready !== null && !busy && reading?.kind !== 'invalid';

  const print = async () => {
    if (!ready || busy) return;
    setBusy(true);
    // In the Electron shell the slip prints silently on the window's printer, as the receipt does.
    const inShell = await printSlipInShell(window, { kind: 'shift', shiftId: ready.id });
    if (inShell) {
      setBusy(false);
      setOutcome(inShell);
      return;
    }
    const r = await api.printShiftSlip({ shiftId: ready.id });
    setBusy(false);
    if (!r.ok) setOutcome({ error: r.error });
    else if (r.value.printed) setOutcome({ ok: `交班单已发送到打印机：${r.value.printed.printer}` });
    else setOutcome({ warn: '本工作站的核心没有可用的打印机：请在 系统管理 › 打印机 中设置后重新打印' });
  };
  const close = async () => {
    if (!ready) return;
    setConfirming(false);
    setBusy(true);
    const r = await api.closeShift({ shiftId: ready.id, ...(reading?.kind === 'ok' ? { drawer: reading.count } : {}) });
    setBusy(false);
    // On success the core signs the window out: the sign-in screen replaces this one.
    if (!r.ok) setOutcome({ error: r.error });
  };

  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (confirming || event.repeat) return;
    if (event.key === 'F9') void print();
    else if (event.key === 'Enter' && mayClose) setConfirming(true);
    else if (event.key === 'Escape') onClose();
    else return;
    event.preventDefault();
    event.stopPropagation();
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    window.addEventListener('keydown', listener, { capture: true });
    return () => window.removeEventListener('keydown', listener, { capture: true });
  }, []);

  return (
    <>
      <Modal
        open
        title="交班"
        width={640}
        keyboard={false}
        maskClosable={false}
        onCancel={onClose}
        footer={[
          <Button key="print" data-testid="shift-print" disabled={!ready || busy} onClick={() => void print()}>
            打印交班单 <kbd>F9</kbd>
          </Button>,
          <Button key="close" type="primary" danger data-testid="shift-close" disabled={!mayClose} onClick={() => setConfirming(true)}>
            确认交班 <kbd>Enter</kbd>
          </Button>,
          <Button key="back" data-testid="shift-back" onClick={onClose}>
            返回 <kbd>Esc</kbd>
          </Button>,
        ]}
      >
        <div className="shift-dialog" data-testid="shift-dialog">
          {shift.status === 'loading' && <Spin />}
          {shift.status === 'failed' && <ErrorNotice error={shift.error} testId="shift-error" />}
          {ready && (
            <>
              <p data-testid="shift-period">
                {ready.operatorName}（{ready.operatorId}）· 自 {formatDateTime(ready.coversFrom)} 起
                {ready.summary.firstAt && ` · 首笔 ${formatDateTime(ready.summary.firstAt)}`}
                {ready.summary.lastAt && ` · 末笔 ${formatDateTime(ready.summary.lastAt)}`}
              </p>
              <ShiftSummaryView summary={ready.summary} testId="shift-summary" />
              <DrawerCount typed={drawer} summary={ready.summary} onChange={setDrawer} />
              {ready.summary.pending.length > 0 && (
                <Alert
                  type="warning"
                  showIcon
                  data-testid="shift-pending"
                  message={`${ready.summary.pending.length} 笔未完成（不影响交班，请跟进）`}
                  description={ready.summary.pending
                    .map((p) => `${p.hisOrderNo} ${stateLabel(p.state)} ¥${fenToYuan(p.totalFen)}`)
                    .join('；')}
                />
              )}
            </>
          )}
          {outcome && 'ok' in outcome && <Alert type="success" showIcon data-testid="shift-outcome" message={outcome.ok} />}
          {outcome && 'warn' in outcome && <Alert type="warning" showIcon data-testid="shift-outcome" message={outcome.warn} />}
          {outcome && 'error' in outcome && <ErrorNotice error={outcome.error} testId="shift-outcome" />}
        </div>
      </Modal>
      {confirming && (
        <KeyConfirm
          title="确认交班"
          okText="交班并退出"
          danger
          testId="shift-confirm"
          onOk={() => void close()}
          onCancel={() => setConfirming(false)}
        >
          {reading?.kind === 'ok' ? `钱箱实点 ¥${fenToYuan(reading.count.countedFen)}，将随交班记录。` : '本班未清点钱箱。'}
          交班后本班次不能再更改，并将退出登录。
        </KeyConfirm>
      )}
    </>
  );
}
