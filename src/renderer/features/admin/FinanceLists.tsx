import { useEffect, useEffectEvent, useState } from 'react';
import { Button, Input, Pagination, Progress, Segmented, Select, Switch } from 'antd';
import {
  FINANCE_LISTS,
  FINANCE_LIST_TITLES,
  FINANCE_SOURCE_LABELS,
  elsewhereNotice,
  heldElsewhere,
  paidOnPhone,
  PHONE_ROW_NOTICE,
  type FinanceFilterInput,
  type FinanceListName,
  type FinancePage,
  type FinanceRow,
  type FinanceSort,
} from '../../../shared/finance-lists';
import type { ExportFormat, ExportProgress, PayChannel } from '../../../shared/ledger';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { ScrollTable } from '../../common/ScrollTable';
import { useStation } from '../../common/station-context';
import { modalOpen } from '../../common/modal-layer';
import { useHotkey } from '../../common/use-hotkey';
import { CHANNEL_LABELS, FINANCE_COLUMNS, FINANCE_STATE_OPTIONS } from './finance-columns';
import { ReversalConfirm, reversalOf } from './ReversalConfirm';
import { SectionBar } from './SectionBar';

const PAGE_SIZE = 50;
const SORT_LABELS: Record<FinanceSort, string> = {
  'time-desc': '时间 新→旧',
  'time-asc': '时间 旧→新',
  'amount-desc': '金额 高→低',
  'amount-asc': '金额 低→高',
};

/** Today in the browser's calendar; the core reads the days in the station's zone. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const typing = () => {
  const el = document.activeElement;
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el?.getAttribute('role') === 'combobox';
};

/**
 * 财务列表: registrations (2201 and its 2202), payments and refunds with one filter bar — days, operator, station,
 * state, channel, the patient by whole name or ID number — sorted and paged. F2 turns to the next list, F3 searches,
 * F6 / F7 export the same filter to xlsx / CSV (Esc cancels), ↑ ↓ move the row, PageUp / PageDown turn the page.
 * Del reverses the selected row's order (a completed bill by refund, an unsettled registration by the full undo;
 * a second administrator signs when the station asks for one — F8 turns that setting), F9 reprints its slip (补打).
 */
export function FinanceLists() {
  const api = useStation();
  const [list, setList] = useState<FinanceListName>('registrations');
  const [form, setForm] = useState({ from: today(), to: today(), operatorId: '', stationId: '', state: '', channel: '', patient: '' });
  const [sort, setSort] = useState<FinanceSort>('time-desc');
  const [asked, setAsked] = useState<{ list: FinanceListName; filter: FinanceFilterInput; page: number } | null>(null);
  const [result, setResult] = useState<FinancePage | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState(0);
  const [exporting, setExporting] = useState<ExportProgress | null>(null);
  const [approval, setApproval] = useState(false);
  const [reversing, setReversing] = useState<FinanceRow | null>(null);
  const [notice, setNotice] = useState('');

  const filterOf = (): FinanceFilterInput => ({
    from: form.from,
    to: form.to,
    ...(form.operatorId.trim() ? { operatorId: form.operatorId.trim() } : {}),
    ...(form.stationId.trim() ? { stationId: form.stationId.trim() } : {}),
    ...(form.state ? { states: [form.state] } : {}),
    ...(form.channel ? { channel: form.channel as PayChannel } : {}),
    ...(form.patient.trim() ? { patient: form.patient.trim() } : {}),
  });

  useEffect(() => {
    if (!asked) return;
    let current = true;
    void api.searchFinance({ list: asked.list, filter: asked.filter, sort, limit: PAGE_SIZE, offset: asked.page * PAGE_SIZE }).then((r) => {
      if (!current) return;
      setError(r.ok ? null : r.error);
      setResult(r.ok ? r.value : null);
      setSelected(0);
    });
    return () => {
      current = false;
    };
  }, [api, asked, sort]);

  // Del reverses the selected row, but inside a field it deletes text: useHotkey would take the key from the field.
  const onDelete = useEffectEvent(() => askReversal(rows[selected]));
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (event.key !== 'Delete' || event.repeat || typing() || modalOpen()) return;
      event.preventDefault();
      onDelete();
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  useEffect(() => {
    void api.getReversalSettings({}).then((r) => r.ok && setApproval(r.value.approvalRequired));
  }, [api]);

  useEffect(() => api.onExportProgress((p) => setExporting((now) => (now && now.exportId === p.exportId ? p : now))), [api]);

  const search = (which: FinanceListName = list) => setAsked({ list: which, filter: filterOf(), page: 0 });
  const choose = (which: FinanceListName) => {
    setList(which);
    setForm((f) => ({ ...f, state: '' })); // each list has its own states
    setResult(null);
    if (asked) setAsked({ list: which, filter: { ...filterOf(), states: undefined }, page: 0 });
  };
  const turn = (by: number) => {
    if (!asked || !result) return;
    const last = Math.max(0, Math.ceil(result.total / PAGE_SIZE) - 1);
    const page = Math.min(last, Math.max(0, asked.page + by));
    if (page !== asked.page) setAsked({ ...asked, page });
  };
  const startExport = async (format: ExportFormat) => {
    if (exporting?.state === 'running') return;
    const r = await api.exportFinance({ list, filter: filterOf(), sort, format });
    if (!r.ok) return setError(r.error);
    setError(null);
    setExporting({ exportId: r.value.exportId, done: 0, total: r.value.total, state: 'running', file: null });
  };
  const running = exporting?.state === 'running';
  const rows = result?.list === list ? result.rows : [];
  const refresh = () => asked && setAsked({ ...asked });
  const selectedElsewhere = rows[selected] && result ? heldElsewhere(rows[selected], result) : null;

  const toggleApproval = async () => {
    const r = await api.setReversalSettings({ approvalRequired: !approval });
    if (r.ok) setApproval(r.value.approvalRequired);
    else setError(r.error);
  };
  // Del and F9 act on this station's orders only: on another station's 全院 row they say where it is.
  const holder = (row: FinanceRow | undefined) => (row && result ? heldElsewhere(row, result) : null);
  const askReversal = (row: FinanceRow | undefined) => {
    if (!row) return;
    const elsewhere = holder(row);
    if (elsewhere) return setNotice(elsewhereNotice(elsewhere));
    if (paidOnPhone(row)) return setNotice(PHONE_ROW_NOTICE);
    if (reversalOf(row)) return setReversing(row);
    setNotice(`${row.hisOrderNo} 当前状态不能撤销：只能撤销已完成的结算或未结算的挂号`);
  };
  const reverse = async (reason: string, approver?: { id: string; password: string }) => {
    const row = reversing;
    setReversing(null);
    if (!row) return;
    const r = await api.quickReverse({ orderId: row.orderId, reason, ...(approver ? { approver } : {}) });
    if (!r.ok) return setError(r.error); // the list stays as it was: nothing was reversed
    setNotice(`${row.hisOrderNo} 已提交撤销（${reason}）`);
    refresh();
  };
  const reprint = async (row: FinanceRow | undefined) => {
    if (!row) return;
    const elsewhere = holder(row);
    if (elsewhere) return setNotice(elsewhereNotice(elsewhere));
    if (paidOnPhone(row)) return setNotice(PHONE_ROW_NOTICE);
    const r = await api.printReceipt({ orderId: row.orderId });
    setError(r.ok ? null : r.error);
    if (r.ok) setNotice(`${row.hisOrderNo} 已补打${r.value.printed ? `（${r.value.printed.printer}）` : ''}`);
  };

  useHotkey('F2', () => choose(FINANCE_LISTS[(FINANCE_LISTS.indexOf(list) + 1) % FINANCE_LISTS.length]!));
  useHotkey('F3', () => search());
  useHotkey('F6', () => void startExport('xlsx'));
  useHotkey('F7', () => void startExport('csv'));
  useHotkey('Escape', () => exporting && void api.cancelExport({ exportId: exporting.exportId }), { enabled: running });
  useHotkey('PageDown', () => turn(1));
  useHotkey('PageUp', () => turn(-1));
  useHotkey('ArrowDown', () => !typing() && setSelected((i) => Math.min(rows.length - 1, i + 1)));
  useHotkey('ArrowUp', () => !typing() && setSelected((i) => Math.max(0, i - 1)));
  useHotkey('Enter', () => typing() && search());
  useHotkey('F9', () => void reprint(rows[selected]));
  useHotkey('F8', () => void toggleApproval());

  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  return (
    <>
      <div className="ledger-filters" data-testid="finance-filters">
        <Segmented<FinanceListName>
          value={list}
          onChange={choose}
          options={FINANCE_LISTS.map((l) => ({ value: l, label: <span data-testid={`finance-list-${l}`}>{FINANCE_LIST_TITLES[l]}</span> }))}
        />
        <Input
          type="date"
          aria-label="开始日期"
          value={form.from}
          onChange={(e) => set('from')(e.target.value)}
          data-testid="finance-from"
        />
        <Input type="date" aria-label="结束日期" value={form.to} onChange={(e) => set('to')(e.target.value)} data-testid="finance-to" />
        <Input
          placeholder="收费员工号"
          value={form.operatorId}
          onChange={(e) => set('operatorId')(e.target.value)}
          data-testid="finance-operator"
        />
        <Input
          placeholder="工作站"
          value={form.stationId}
          onChange={(e) => set('stationId')(e.target.value)}
          data-testid="finance-station"
        />
        <Select
          aria-label="状态"
          placeholder="全部状态"
          allowClear
          value={form.state || undefined}
          onChange={(v?: string) => set('state')(v ?? '')}
          options={FINANCE_STATE_OPTIONS[list]}
          data-testid="finance-state"
        />
        <Select
          aria-label="渠道"
          placeholder="全部渠道"
          allowClear
          value={form.channel || undefined}
          onChange={(v?: string) => set('channel')(v ?? '')}
          options={Object.entries(CHANNEL_LABELS).map(([value, label]) => ({ value, label }))}
          data-testid="finance-channel"
        />
        <Input
          placeholder="患者姓名或身份证号"
          value={form.patient}
          onChange={(e) => set('patient')(e.target.value)}
          data-testid="finance-patient"
        />
        <Select
          aria-label="排序"
          value={sort}
          onChange={(v: FinanceSort) => setSort(v)}
          options={Object.entries(SORT_LABELS).map(([value, label]) => ({ value, label }))}
          data-testid="finance-sort"
        />
        <Button type="primary" onClick={() => search()} data-testid="finance-search">
          查询 F3
        </Button>
      </div>
      <SectionBar
        note={
          <>
            {result ? `${FINANCE_LIST_TITLES[list]} 共 ${result.total}${result.totalCapped ? '+' : ''} 笔` : '选择条件后按 F3 查询'}
            {result && <span data-testid="finance-source">（{FINANCE_SOURCE_LABELS[result.source]}）</span>}
            {result?.notice && <span data-testid="finance-source-notice"> {result.notice}</span>} · F2 切换列表 ·{' '}
            {selectedElsewhere ? (
              <span data-testid="finance-elsewhere">不在本站（{selectedElsewhere}）：Del、F9 不可用</span>
            ) : (
              'Del 快速撤销 · F9 补打'
            )}
            {notice && (
              <span className="ledger-export__done" data-testid="finance-notice">
                {' '}
                · {notice}
              </span>
            )}
          </>
        }
      >
        <span className="finance-approval">
          <Switch size="small" checked={approval} onChange={() => void toggleApproval()} data-testid="finance-approval" />
          撤销需第二人审批 F8
        </span>
        {running && exporting ? (
          <span className="ledger-export" data-testid="finance-export-progress">
            <Progress percent={exporting.total ? Math.floor((exporting.done * 100) / exporting.total) : 0} size="small" />
            <Button onClick={() => void api.cancelExport({ exportId: exporting.exportId })}>取消导出 Esc</Button>
          </span>
        ) : (
          <>
            {exporting && (
              <span className="ledger-export__done" data-testid="finance-export-state" data-state={exporting.state}>
                {exporting.state === 'finished'
                  ? `已导出 ${exporting.done} 笔：${exporting.file ?? ''}`
                  : exporting.state === 'cancelled'
                    ? '导出已取消'
                    : '导出失败'}
              </span>
            )}
            <Button onClick={() => void startExport('xlsx')} data-testid="finance-export-xlsx">
              导出 xlsx F6
            </Button>
            <Button onClick={() => void startExport('csv')} data-testid="finance-export-csv">
              导出 CSV F7
            </Button>
          </>
        )}
      </SectionBar>
      {error && <ErrorNotice error={error} testId="finance-error" />}
      <ScrollTable
        data-testid="finance-table"
        columns={FINANCE_COLUMNS[list]}
        rows={rows}
        rowKey={(r) => r.id}
        empty={asked ? '没有符合条件的记录' : '尚未查询'}
        selectedKey={rows[selected]?.id ?? null}
        onRowClick={(row) => setSelected(rows.indexOf(row))}
      />
      {result && (
        <Pagination
          size="small"
          align="end"
          current={(asked?.page ?? 0) + 1}
          pageSize={PAGE_SIZE}
          total={result.total}
          showSizeChanger={false}
          onChange={(page) => asked && setAsked({ ...asked, page: page - 1 })}
          data-testid="finance-pager"
        />
      )}
      {reversing && (
        <ReversalConfirm
          row={reversing}
          approval={approval}
          onOk={(reason, approver) => void reverse(reason, approver)}
          onCancel={() => setReversing(null)}
        />
      )}
    </>
  );
}
