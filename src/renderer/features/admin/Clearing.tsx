import { useState } from 'react';
import { Alert, Button, Input, Spin, type TableColumnsType } from 'antd';
import {
  CLEARING_ACTION_LABELS,
  CLEARING_ROW_LABELS,
  type ClearingAction,
  type ClearingMonthView,
  type ClearingRowView,
} from '../../../shared/clearing';
import { formatYuan } from '../../../shared/money';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { ScrollTable } from '../../common/ScrollTable';
import { useHotkey } from '../../common/use-hotkey';
import { useStation } from '../../common/station-context';
import { useStationQuery } from '../../common/use-station-query';
import { KeyConfirm } from '../cashier';
import { ClearingMonthChart } from './ClearingMonthChart';

const yuan = (v: number | null | undefined) => (v === null || v === undefined ? '—' : formatYuan(v));

const ROW_COLUMNS: TableColumnsType<ClearingRowView> = [
  { title: '核对', key: 'status', width: 120, render: (_, r) => CLEARING_ROW_LABELS[r.status] },
  { title: '结算ID', dataIndex: 'setlId', width: 180, ellipsis: true },
  { title: '中心总额', key: 'cm', align: 'right', width: 100, render: (_, r) => yuan(r.centre?.medfeeFen) },
  { title: '中心统筹', key: 'co', align: 'right', width: 100, render: (_, r) => yuan(r.centre?.optinsFen) },
  { title: '院内总额', key: 'sm', align: 'right', width: 100, render: (_, r) => yuan(r.station?.medfeeFen) },
  { title: '院内基金', key: 'sf', align: 'right', width: 100, render: (_, r) => yuan(r.station?.fundFen) },
  { title: '参保地', key: 'region', width: 80, render: (_, r) => r.station?.region ?? '—' },
  { title: '确认', key: 'confirmed', width: 70, render: (_, r) => (r.confirmed ? '纳入' : '不纳入') },
  { title: '说明', dataIndex: 'memo', ellipsis: true },
];

/** The month before `day`'s (yyyy-MM): in the window the office clears last month. */
const lastMonth = (day: string) => shiftMonth(day.slice(0, 7), -1);
function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}
const beijingDay = (at: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(at);
const beijingTime = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));

type Outcome = { ok: string } | { error: ApiError } | null;

/**
 * 对账 › 异地清分 (ZS-07): a month picked (Alt+P / Alt+N), its cross-region settlements in the ledger as a picture,
 * whether a confirmation stands; in the window (5th–8th of the next month) checked against the centre (F3),
 * confirmed (F8) or rolled back (F9), both confirmed by key; the latest run's rows exported (F7 CSV, F6 Excel).
 * Outside the window the screen says when it opens and only shows.
 */
export function Clearing() {
  const api = useStation();
  const [month, setMonth] = useState(() => lastMonth(beijingDay(new Date())));
  const [running, setRunning] = useState<ClearingAction | null>(null);
  const [asking, setAsking] = useState<'confirm' | 'rollback' | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const query = useStationQuery((station) => station.getClearingMonth({ month }));
  const view: ClearingMonthView | null = query.status === 'ready' && query.value.month === month ? query.value : null;
  const open = view?.window.open ?? false;
  const confirmed = view?.state === 'confirmed';
  const latest = view?.runs.find((r) => r.action !== 'rollback' && r.rows.length > 0);

  const pick = (next: string) => {
    if (!/^\d{4}-\d{2}$/.test(next)) return;
    setMonth(next);
    setOutcome(null);
    query.reload();
  };
  const run = async (action: ClearingAction) => {
    setAsking(null);
    if (running || !open) return;
    setRunning(action);
    setOutcome(null);
    const r = await api.runClearing({ month, action });
    setRunning(null);
    setOutcome(r.ok ? { ok: `${CLEARING_ACTION_LABELS[action]}完成：${month}` } : { error: r.error });
    query.reload();
  };
  const exportAs = async (format: 'csv' | 'xlsx') => {
    if (!latest) return;
    const r = await api.exportClearing({ runId: latest.id, format });
    setOutcome(r.ok ? { ok: `已导出 ${r.value.rows} 行：${r.value.file}` } : { error: r.error });
  };
  useHotkey('Alt+P', () => pick(shiftMonth(month, -1)));
  useHotkey('Alt+N', () => pick(shiftMonth(month, 1)));
  useHotkey('F3', () => void run('check'), { enabled: open });
  useHotkey('F8', () => setAsking('confirm'), { enabled: open && !confirmed });
  useHotkey('F9', () => setAsking('rollback'), { enabled: open && confirmed });
  useHotkey('F7', () => void exportAs('csv'), { enabled: Boolean(latest) });
  useHotkey('F6', () => void exportAs('xlsx'), { enabled: Boolean(latest) });

  const count = view?.regions.reduce((n, r) => n + r.count, 0) ?? 0;
  const medfee = view?.regions.reduce((n, r) => n + r.medfeeFen, 0) ?? 0;
  return (
    <div className="recon" data-testid="clearing">
      <div className="section-bar">
        <span className="section-bar__note recon__day">
          清分月份
          <Input
            type="month"
            size="small"
            aria-label="清分月份"
            data-testid="clearing-month"
            value={month}
            onChange={(e) => pick(e.target.value)}
          />
          <Button size="small" onClick={() => pick(shiftMonth(month, -1))}>
            上月 <kbd>Alt+P</kbd>
          </Button>
          <Button size="small" onClick={() => pick(shiftMonth(month, 1))}>
            下月 <kbd>Alt+N</kbd>
          </Button>
        </span>
        <span className="section-bar__actions">
          <Button
            size="small"
            data-testid="clearing-check"
            disabled={!open}
            loading={running === 'check'}
            onClick={() => void run('check')}
          >
            核对 <kbd>F3</kbd>
          </Button>
          <Button
            size="small"
            type="primary"
            data-testid="clearing-confirm"
            disabled={!open || confirmed}
            loading={running === 'confirm'}
            onClick={() => setAsking('confirm')}
          >
            确认 <kbd>F8</kbd>
          </Button>
          <Button
            size="small"
            danger
            data-testid="clearing-rollback"
            disabled={!open || !confirmed}
            loading={running === 'rollback'}
            onClick={() => setAsking('rollback')}
          >
            回退 <kbd>F9</kbd>
          </Button>
          <Button size="small" data-testid="clearing-export-csv" disabled={!latest} onClick={() => void exportAs('csv')}>
            导出 CSV <kbd>F7</kbd>
          </Button>
          <Button size="small" disabled={!latest} onClick={() => void exportAs('xlsx')}>
            导出 Excel <kbd>F6</kbd>
          </Button>
        </span>
      </div>
      {running && (
        <Alert
          type="info"
          showIcon
          icon={<Spin size="small" />}
          message={`正在${CLEARING_ACTION_LABELS[running]} ${month}：${running === 'rollback' ? '清分确认回退 (3262)' : '提取中心清分明细 (3260) → 与院内账本核对'}${running === 'confirm' ? ' → 确认 (3261)' : ''}`}
        />
      )}
      {query.status === 'failed' && <ErrorNotice error={query.error} testId="clearing-error" />}
      {outcome && 'error' in outcome && <ErrorNotice error={outcome.error} testId="clearing-outcome" />}
      {outcome && 'ok' in outcome && <Alert type="success" showIcon data-testid="clearing-outcome" message={outcome.ok} />}
      <div className="recon__summary" data-testid="clearing-summary">
        {view && (
          <>
            <strong className={confirmed ? 'recon__verdict--balanced' : ''}>{confirmed ? '已确认 ✓' : '未确认'}</strong>
            <span>
              {open ? `受理中，截至 ${view.window.closes}` : `受理时间 ${view.window.opens} 至 ${view.window.closes}，其余时间只能查看`}
            </span>
            <span>
              院内异地结算 {count} 笔 · 医疗费 {yuan(medfee)}
              {latest &&
                ` · ${CLEARING_ACTION_LABELS[latest.action]} ${beijingTime(latest.at)}：中心 ${latest.totals.rows} 笔，纳入 ${latest.totals.confirmed} 笔，差异 ${latest.totals.differences} 笔`}
            </span>
            {view.runs[0]?.error && <span className="recon__error">{view.runs[0].error}</span>}
          </>
        )}
      </div>
      <ClearingMonthChart month={month} days={view?.days ?? []} regions={view?.regions ?? []} />
      <ScrollTable<ClearingRowView>
        data-testid="clearing-rows"
        columns={ROW_COLUMNS}
        rows={latest?.rows ?? []}
        rowKey={(r) => `${r.status}|${r.setlId}`}
        empty={open ? '尚未核对：按 F3 提取中心清分明细' : '不在受理时间内'}
      />
      {asking && (
        <KeyConfirm
          title={asking === 'confirm' ? `确认 ${month} 异地清分` : `回退 ${month} 异地清分确认`}
          okText={asking === 'confirm' ? '确认 (Enter)' : '回退 (Enter)'}
          danger={asking === 'rollback'}
          testId="clearing-ask"
          onOk={() => void run(asking)}
          onCancel={() => setAsking(null)}
        >
          {asking === 'confirm'
            ? '重新提取中心清分明细并与院内账本核对，一致的纳入、不一致的不纳入，提交确认 (3261)。'
            : '撤回本月已提交的清分确认 (3262)，之后可重新核对、确认。'}
        </KeyConfirm>
      )}
    </div>
  );
}
