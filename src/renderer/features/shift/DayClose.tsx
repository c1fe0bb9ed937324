import { useState } from 'react';
import { Alert, Button, Input, Table, type TableColumnsType } from 'antd';
import type { ShiftView } from '../../../shared/shifts';
import type { ApiError } from '../../../shared/result';
import { fenToYuan } from '../../../shared/money';
import { ErrorNotice } from '../../common/ErrorNotice';
import { formatDateTime } from '../../common/format';
import { useHotkey } from '../../common/use-hotkey';
import { useStation } from '../../common/station-context';
import { useStationQuery } from '../../common/use-station-query';
import { ReasonConfirm } from '../cashier';
import { printSlipInShell } from '../receipt';
import { ShiftSummaryView } from './ShiftSummaryView';

/** Why an administrator closes a shift its cashier left open (kept in the audit with the close). */
const CLOSE_FOR_OTHER_REASONS = ['收费员已下班未交班', '收费员无法在本机操作', '其他原因'] as const;

const COLUMNS: TableColumnsType<ShiftView> = [
  { title: '收费员', dataIndex: 'operatorName' },
  { title: '开班', dataIndex: 'coversFrom', render: (t: string) => formatDateTime(t) },
  { title: '交班', dataIndex: 'closedAt', render: (t: string) => formatDateTime(t) },
  { title: '笔数', align: 'right', render: (_: unknown, s: ShiftView) => s.summary.orders },
  { title: '净收（元）', align: 'right', render: (_: unknown, s: ShiftView) => fenToYuan(s.summary.netFen) },
  { title: '未完成', align: 'right', render: (_: unknown, s: ShiftView) => s.summary.pending.length },
];

type Outcome = { ok: string } | { warn: string } | { error: ApiError } | null;

/**
 * 日结 (admin): the day's closed shifts of this station added up, the shifts still open named; 打印日结单 (F9);
 * 代交班 (F7): the oldest open shift closed for its cashier who went home signed in, with a reason by digit.
 */
export function DayClose() {
  const api = useStation();
  // null: the station's today, as the core counts it in its own time zone
  const [day, setDay] = useState<string | null>(null);
  const asked = day === null ? {} : { day };
  const [outcome, setOutcome] = useState<Outcome>(null);
  const view = useStationQuery((station) => station.dayClose(asked));
  const print = async () => {
    // In the Electron shell the slip prints silently on the window's printer, as the receipt does.
    const inShell = await printSlipInShell(window, { kind: 'day', ...asked });
    if (inShell) return setOutcome(inShell);
    const r = await api.printDaySlip(asked);
    if (!r.ok) setOutcome({ error: r.error });
    else if (r.value.printed) setOutcome({ ok: `日结单已发送到打印机：${r.value.printed.printer}` });
    else setOutcome({ warn: '本工作站的核心没有可用的打印机：请在 打印机 中设置后重新打印' });
  };
  useHotkey('F9', () => void print());
  const ready = view.status === 'ready' ? view.value : null;
  const abandoned = ready?.openShifts[0] ?? null;
  const [confirming, setConfirming] = useState(false);
  useHotkey('F7', () => {
    if (abandoned) setConfirming(true);
  });
  const closeForOther = async (reason: string) => {
    setConfirming(false);
    if (!abandoned) return;
    const r = await api.closeShift({ shiftId: abandoned.id, reason });
    if (!r.ok) setOutcome({ error: r.error });
    else setOutcome({ ok: `已为 ${abandoned.operatorName} 代交班（${reason}），已计入当日日结` });
    view.reload();
  };
  const shown = day ?? ready?.day ?? '';
  return (
    <div className="day-close" data-testid="day-close">
      <div className="section-bar">
        <span className="section-bar__note">
          <Input
            type="date"
            size="small"
            aria-label="日结日期"
            data-testid="day-close-date"
            value={shown}
            onChange={(e) => {
              if (!/^\d{4}-\d{2}-\d{2}$/.test(e.target.value)) return;
              setDay(e.target.value);
              setOutcome(null);
              view.reload();
            }}
          />
        </span>
        <span className="section-bar__actions">
          <Button size="small" danger disabled={!abandoned} data-testid="day-close-close-other" onClick={() => setConfirming(true)}>
            代交班 <kbd>F7</kbd>
          </Button>
          <Button size="small" data-testid="day-close-print" onClick={() => void print()}>
            打印日结单 <kbd>F9</kbd>
          </Button>
        </span>
      </div>
      {view.status === 'failed' && <ErrorNotice error={view.error} testId="day-close-error" />}
      {ready && (
        <>
          <Table<ShiftView>
            size="small"
            rowKey="id"
            pagination={false}
            columns={COLUMNS}
            dataSource={ready.shifts}
            data-testid="day-close-shifts"
          />
          {ready.openShifts.length > 0 && (
            <Alert
              type="warning"
              showIcon
              data-testid="day-close-open"
              message={`未交班 ${ready.openShifts.length} 个（未计入）：${ready.openShifts.map((o) => o.operatorName).join('、')}`}
            />
          )}
          <ShiftSummaryView summary={ready.totals} testId="day-close-totals" />
        </>
      )}
      {outcome && 'ok' in outcome && <Alert type="success" showIcon data-testid="day-close-outcome" message={outcome.ok} />}
      {outcome && 'warn' in outcome && <Alert type="warning" showIcon data-testid="day-close-outcome" message={outcome.warn} />}
      {outcome && 'error' in outcome && <ErrorNotice error={outcome.error} testId="day-close-outcome" />}
      {confirming && abandoned && (
        <ReasonConfirm
          title="代交班？"
          okText="代交班"
          reasons={CLOSE_FOR_OTHER_REASONS}
          testId="confirm-close-other"
          reasonTestId="close-other-reason"
          onOk={(reason) => void closeForOther(reason)}
          onCancel={() => setConfirming(false)}
        >
          <p>
            {abandoned.operatorName} 的班次（{formatDateTime(abandoned.openedAt)}{' '}
            开班）尚未交班。代交班后按交班时的记录汇总并计入当日日结，操作记入审计日志。
          </p>
        </ReasonConfirm>
      )}
    </div>
  );
}
