import { useState } from 'react';
import { Alert, Button, Input, Segmented, Spin, type TableColumnsType } from 'antd';
import {
  HIS_DIFFERENCE_LABELS,
  RECON_DIFFERENCE_LABELS,
  RECON_OUTCOME_LABELS,
  RECON_RESOLUTION_LABELS,
  STATEMENT_DIFFERENCE_LABELS,
  TRADE_PURPOSE_LABELS,
  TRADE_WAY_LABELS,
  type HisDifferenceView,
  type ReconciliationRunView,
  type ReconDifferenceView,
  type ReconGroupView,
  type StatementDifferenceView,
  type StatementPartView,
} from '../../../shared/reconciliation';
import { formatYuan } from '../../../shared/money';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { ScrollTable } from '../../common/ScrollTable';
import { useHotkey } from '../../common/use-hotkey';
import { useStation } from '../../common/station-context';
import { useStationQuery } from '../../common/use-station-query';
import { Clearing } from './Clearing';
import { ReconMonthChart } from './ReconMonthChart';
import { centreTarget, hisTarget, ReconResolveConfirm, statementTarget, type ResolveTarget } from './ReconResolveConfirm';

const yuan = (v: number | null | undefined) => (v === null || v === undefined ? '—' : formatYuan(v));
const WALLETS = { wechat: '微信', alipay: '支付宝' } as const;

const GROUP_COLUMNS: TableColumnsType<ReconGroupView> = [
  { title: '参保区划', dataIndex: 'region', width: 100 },
  { title: '险种', dataIndex: 'insutype', width: 70 },
  { title: '清算类别', dataIndex: 'clrType', width: 80 },
  { title: '笔数', dataIndex: 'count', align: 'right', width: 70 },
  { title: '医疗费总额', key: 'medfee', align: 'right', width: 120, render: (_, g) => yuan(g.medfeeFen) },
  { title: '基金支付', key: 'fund', align: 'right', width: 120, render: (_, g) => yuan(g.fundFen) },
  { title: '个人账户', key: 'acct', align: 'right', width: 110, render: (_, g) => yuan(g.acctFen) },
  { title: '平账', key: 'balanced', align: 'center', width: 60, render: (_, g) => (g.balanced ? '✓' : '✗') },
  { title: '中心结果', dataIndex: 'centreSays', ellipsis: true },
];

const DIFFERENCE_COLUMNS: TableColumnsType<ReconDifferenceView> = [
  { title: '差异', key: 'kind', width: 120, render: (_, d) => RECON_DIFFERENCE_LABELS[d.kind] },
  { title: '区划/清算', key: 'group', width: 100, render: (_, d) => `${d.region}/${d.clrType}` },
  { title: '结算ID', key: 'setlId', width: 170, ellipsis: true, render: (_, d) => `${d.setlId ?? '—'}${d.centreRefund ? '（撤销）' : ''}` },
  { title: '中心医疗费', key: 'centre', align: 'right', width: 100, render: (_, d) => yuan(d.centre?.medfeeFen) },
  {
    title: '院内（工作站·订单）',
    key: 'ledger',
    width: 200,
    ellipsis: true,
    render: (_, d) => (d.ledger.length ? d.ledger.map((e) => `${e.stationId}·${e.orderId} ${yuan(e.medfeeFen)}`).join('；') : '—'),
  },
  { title: '处理建议', dataIndex: 'suggestion', ellipsis: true },
];

const PART_COLUMNS: TableColumnsType<StatementPartView> = [
  { title: '渠道', key: 'wallet', width: 70, render: (_, p) => WALLETS[p.wallet] },
  { title: '方式', key: 'way', width: 100, render: (_, p) => TRADE_WAY_LABELS[p.way] },
  { title: '用途', key: 'purpose', width: 140, render: (_, p) => TRADE_PURPOSE_LABELS[p.purpose] },
  { title: '交易数', dataIndex: 'trades', align: 'right', width: 70 },
  { title: '平台净额', key: 's', align: 'right', width: 110, render: (_, p) => yuan(p.statementNetFen) },
  { title: '院内净额', key: 'l', align: 'right', width: 110, render: (_, p) => yuan(p.ledgerNetFen) },
  { title: '一致', key: 'ok', align: 'center', render: (_, p) => (p.statementNetFen === p.ledgerNetFen ? '✓' : '✗') },
];

const TRADE_COLUMNS: TableColumnsType<StatementDifferenceView> = [
  { title: '差异', key: 'kind', width: 120, render: (_, d) => STATEMENT_DIFFERENCE_LABELS[d.kind] },
  { title: '商户订单号', dataIndex: 'outTradeNo', width: 150, ellipsis: true },
  { title: '渠道·方式', key: 'way', width: 130, render: (_, d) => `${WALLETS[d.wallet]}·${TRADE_WAY_LABELS[d.way]}` },
  { title: '平台净额', key: 's', align: 'right', width: 100, render: (_, d) => yuan(d.statementNetFen) },
  { title: '院内净额', key: 'l', align: 'right', width: 100, render: (_, d) => yuan(d.ledgerNetFen) },
  { title: '处理建议', dataIndex: 'suggestion', ellipsis: true },
];

const HIS_COLUMNS: TableColumnsType<HisDifferenceView> = [
  { title: '差异', key: 'kind', width: 120, render: (_, d) => HIS_DIFFERENCE_LABELS[d.kind] },
  { title: '结算号（工作站）', dataIndex: 'settleId', width: 170, ellipsis: true },
  { title: 'HIS结算号', key: 'no', width: 130, ellipsis: true, render: (_, d) => d.hisSettleNo ?? '—' },
  { title: 'HIS总额', key: 'hm', align: 'right', width: 100, render: (_, d) => yuan(d.hisMedfeeFen) },
  { title: '院内总额', key: 'lm', align: 'right', width: 100, render: (_, d) => yuan(d.ledgerMedfeeFen) },
  {
    title: '院内（工作站·订单）',
    key: 'order',
    width: 170,
    ellipsis: true,
    render: (_, d) => (d.orderId ? `${d.stationId ?? ''}·${d.orderId}` : '—'),
  },
  { title: '处理建议', dataIndex: 'suggestion', ellipsis: true },
];

const VIEWS = ['groups', 'differences', 'statement', 'his', 'clearing'] as const;
type View = (typeof VIEWS)[number];
const VIEW_LABELS: Record<View, string> = {
  groups: '总账 3201',
  differences: '明细差异 3202',
  statement: '支付平台对账单',
  his: 'HIS日对账',
  clearing: '异地清分（月）',
};

/** Today in Beijing, yyyy-MM-dd (the centre's and the station's day). */
const beijingDay = (at: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(at);
const beijingTime = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
const shiftDay = (day: string, by: number) => new Date(Date.parse(`${day}T00:00:00Z`) + by * 86_400_000).toISOString().slice(0, 10);

// A settlement and its cancel share the setl_id (3202 names a cancel by the settlement it cancels).
const differenceKey = (d: ReconDifferenceView) => `${d.kind}|${d.setlId ?? ''}|${d.mdtrtId ?? ''}|${d.centreRefund ? 'cancel' : ''}`;
const hisKey = (d: HisDifferenceView) => `${d.kind}|${d.settleId}`;

/** The lists a difference can be carried out from (↑/↓, F8): each row keyed, and what the op is told. */
interface DrillList {
  keys: string[];
  targets: (ResolveTarget | null)[];
}
function drillListOf(view: View, run: ReconciliationRunView | undefined): DrillList {
  if (view === 'differences') {
    const rows = run?.differences ?? [];
    return { keys: rows.map(differenceKey), targets: rows.map(centreTarget) };
  }
  if (view === 'his') {
    const rows = run?.his?.differences ?? [];
    return { keys: rows.map(hisKey), targets: rows.map(hisTarget) };
  }
  if (view === 'statement') {
    const rows = run?.statement?.differences ?? [];
    return { keys: rows.map((d) => d.outTradeNo), targets: rows.map(statementTarget) };
  }
  return { keys: [], targets: [] };
}

/** warn: done, but a person still has to act (needs-person). */
type Outcome = { ok: string; warn?: boolean } | { error: ApiError } | null;

/**
 * 系统管理 › 对账 (AQ-06, DQ-07): a day picked (Alt+P / Alt+N a day back or on) and reconciled (F3): the centre's
 * 3201 groups, 3202's differences with what to do, the payment platform's statement matched; the month's picture;
 * the differences exported (F7 CSV, F6 Excel). F2 turns between the lists; in 3202's, HIS's and the platform's,
 * ↑/↓ and F8 carry out a difference's suggestion (a reason by digit, Enter), and the day is reconciled again.
 */
export function Reconciliation() {
  const api = useStation();
  const [day, setDay] = useState(() => beijingDay(new Date()));
  const [view, setView] = useState<View>('groups');
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [picked, setPicked] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const runs = useStationQuery((station) => station.listReconciliations({ limit: 200 }));
  const all = runs.status === 'ready' ? runs.value : [];
  const run: ReconciliationRunView | undefined = all.find((r) => r.day === day); // newest first
  const pick = (next: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(next)) return;
    setDay(next);
    setOutcome(null);
  };
  const reconcile = async () => {
    if (running) return;
    setRunning(true);
    setOutcome(null);
    const r = await api.runReconciliation({ day });
    setRunning(false);
    if (!r.ok) setOutcome({ error: r.error });
    runs.reload();
  };
  const exportAs = async (format: 'csv' | 'xlsx') => {
    if (!run) return;
    const r = await api.exportReconciliation({ runId: run.id, format });
    setOutcome(r.ok ? { ok: `已导出 ${r.value.rows} 条差异：${r.value.file}` } : { error: r.error });
  };
  const differences = run?.differences ?? [];
  const drill = drillListOf(view, run);
  const at = Math.min(picked, drill.keys.length - 1);
  const chosenKey = drill.keys[at] ?? null;
  const chosen = drill.targets[at] ?? null;
  const pickRow = (key: string) => setPicked(Math.max(drill.keys.indexOf(key), 0));
  const turn = (next: View) => {
    setView(next);
    setPicked(0);
  };
  const resolve = async (reason: string) => {
    setConfirming(false);
    if (!run || !chosen) return;
    const r = await api.resolveReconDifference({ runId: run.id, source: chosen.source, key: chosen.key, reason });
    setOutcome(
      r.ok
        ? {
            ok: `${RECON_RESOLUTION_LABELS[r.value.resolution]}：${r.value.note}；重新对账：${RECON_OUTCOME_LABELS[r.value.run.outcome]}`,
            warn: r.value.resolution === 'needs-person',
          }
        : { error: r.error },
    );
    setPicked(0);
    runs.reload();
  };
  // The month's clearing has keys of its own (Clearing.tsx); the day's rest while it is shown.
  const daily = { enabled: view !== 'clearing' };
  useHotkey('F3', () => void reconcile(), daily);
  useHotkey('Alt+P', () => pick(shiftDay(day, -1)), daily);
  useHotkey('Alt+N', () => pick(shiftDay(day, 1)), daily);
  useHotkey('F2', () => turn(VIEWS[(VIEWS.indexOf(view) + 1) % VIEWS.length]!));
  useHotkey('F7', () => void exportAs('csv'), daily);
  useHotkey('F6', () => void exportAs('xlsx'), daily);
  // The drill-downs (3202, HIS, platform): ↑/↓ choose a difference, F8 carries out its suggestion (confirmed by Enter).
  const drilling = { enabled: drill.keys.length > 0 && !confirming };
  useHotkey('ArrowDown', () => setPicked((i) => Math.min(i + 1, drill.keys.length - 1)), drilling);
  useHotkey('ArrowUp', () => setPicked((i) => Math.max(i - 1, 0)), drilling);
  useHotkey('F8', () => setConfirming(Boolean(chosen)), drilling);

  const views = (
    <Segmented<View>
      size="small"
      data-testid="recon-views"
      value={view}
      onChange={turn}
      options={VIEWS.map((v) => ({ value: v, label: v === view ? `${VIEW_LABELS[v]}（F2 切换）` : VIEW_LABELS[v] }))}
    />
  );
  if (view === 'clearing') {
    return (
      <div className="recon" data-testid="recon">
        {views}
        <Clearing />
      </div>
    );
  }

  const statement = run?.statement ?? null;
  return (
    <div className="recon" data-testid="recon">
      <div className="section-bar">
        <span className="section-bar__note recon__day">
          对账日
          <Input type="date" size="small" aria-label="对账日" data-testid="recon-day" value={day} onChange={(e) => pick(e.target.value)} />
          <Button size="small" data-testid="recon-prev" onClick={() => pick(shiftDay(day, -1))}>
            前一日 <kbd>Alt+P</kbd>
          </Button>
          <Button size="small" data-testid="recon-next" onClick={() => pick(shiftDay(day, 1))}>
            后一日 <kbd>Alt+N</kbd>
          </Button>
        </span>
        <span className="section-bar__actions">
          <Button size="small" type="primary" data-testid="recon-run" loading={running} onClick={() => void reconcile()}>
            对账 <kbd>F3</kbd>
          </Button>
          <Button size="small" data-testid="recon-export-csv" disabled={!run} onClick={() => void exportAs('csv')}>
            导出差异 CSV <kbd>F7</kbd>
          </Button>
          <Button size="small" data-testid="recon-export-xlsx" disabled={!run} onClick={() => void exportAs('xlsx')}>
            导出差异 Excel <kbd>F6</kbd>
          </Button>
          {(view === 'differences' || view === 'his' || view === 'statement') && (
            <Button size="small" danger data-testid="recon-resolve" disabled={!chosen} onClick={() => setConfirming(true)}>
              处理差异 <kbd>F8</kbd>
            </Button>
          )}
        </span>
      </div>
      {running && (
        <Alert
          type="info"
          showIcon
          icon={<Spin size="small" />}
          data-testid="recon-progress"
          message={`正在对账 ${day}：读取院内账本 → 对总账 (3201) → 不平时对明细 (3202) → 下载支付平台对账单`}
        />
      )}
      {runs.status === 'failed' && <ErrorNotice error={runs.error} testId="recon-error" />}
      {outcome && 'error' in outcome && <ErrorNotice error={outcome.error} testId="recon-outcome" />}
      {outcome && 'ok' in outcome && (
        <Alert type={outcome.warn ? 'warning' : 'success'} showIcon data-testid="recon-outcome" message={outcome.ok} />
      )}
      <div className="recon__summary" data-testid="recon-summary">
        {run ? (
          <>
            <strong className={`recon__verdict recon__verdict--${run.outcome}`}>
              {RECON_OUTCOME_LABELS[run.outcome]} {run.outcome === 'balanced' ? '✓' : '✗'}
            </strong>
            <span>
              {beijingTime(run.at)} · {run.trigger === 'auto' ? '自动' : run.operatorId} · 账本事件 {run.events} 条 · 中心差异{' '}
              {run.differences.length} 笔 · 平台差异 {statement ? statement.differences.length : '—'} 笔 · HIS差异{' '}
              {run.his ? run.his.differences.length : '—'} 笔
            </span>
            {run.error && <span className="recon__error">{run.error}</span>}
            {statement?.error && <span className="recon__error">{statement.error}</span>}
            {run.his?.error && <span className="recon__error">{run.his.error}</span>}
          </>
        ) : (
          <span>{day} 尚未对账：按 F3 对账</span>
        )}
      </div>
      <ReconMonthChart month={day.slice(0, 7)} runs={all} />
      {views}
      {view === 'groups' && (
        <ScrollTable<ReconGroupView>
          data-testid="recon-groups"
          columns={GROUP_COLUMNS}
          rows={run?.groups ?? []}
          rowKey={(g) => `${g.region}|${g.insutype}|${g.clrType}`}
          empty={run ? '当日院内账本没有医保结算' : '尚未对账'}
        />
      )}
      {view === 'differences' && (
        <ScrollTable<ReconDifferenceView>
          data-testid="recon-differences"
          columns={DIFFERENCE_COLUMNS}
          rows={differences}
          rowKey={differenceKey}
          selectedKey={chosenKey}
          onRowClick={(d) => pickRow(differenceKey(d))}
          empty={run ? '没有差异' : '尚未对账'}
        />
      )}
      {confirming && chosen && (
        <ReconResolveConfirm target={chosen} onOk={(reason) => void resolve(reason)} onCancel={() => setConfirming(false)} />
      )}
      {view === 'his' && (
        <ScrollTable<HisDifferenceView>
          data-testid="recon-his"
          columns={HIS_COLUMNS}
          rows={run?.his?.differences ?? []}
          rowKey={hisKey}
          selectedKey={chosenKey}
          onRowClick={(d) => pickRow(hisKey(d))}
          empty={run?.his ? `HIS当日记账 ${run.his.hisBookings} 笔，与院内账本一致` : '尚未取得HIS日对账'}
        />
      )}
      {view === 'statement' && (
        <div className="recon__statement">
          <ScrollTable<StatementPartView>
            data-testid="recon-statement-parts"
            columns={PART_COLUMNS}
            rows={statement?.parts ?? []}
            rowKey={(p) => `${p.wallet}|${p.way}|${p.purpose}`}
            empty={statement ? '当日没有移动支付交易' : '尚未取得对账单'}
          />
          <ScrollTable<StatementDifferenceView>
            data-testid="recon-statement-differences"
            columns={TRADE_COLUMNS}
            rows={statement?.differences ?? []}
            rowKey={(d) => d.outTradeNo}
            selectedKey={chosenKey}
            onRowClick={(d) => pickRow(d.outTradeNo)}
            empty={statement ? '对账单与院内账本一致' : '尚未取得对账单'}
          />
        </div>
      )}
    </div>
  );
}
