import { useEffect, useState } from 'react';
import { Button, Input, Modal, Pagination, Progress, Select, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { ORDER_STATES, ORDER_STATE_LABELS, type OrderLineView, type OrderState } from '../../../shared/domain';
import { PAY_CHANNEL_LABELS as CHANNEL_LABELS } from '../../../shared/ledger';
import type { ExportFormat, ExportProgress, OrderFilter, OrderListRow, OrderPage, OrderSort, PayChannel } from '../../../shared/ledger';
import { formatYuan } from '../../../shared/money';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { formatDateTime } from '../../common/format';
import { ScrollTable } from '../../common/ScrollTable';
import { useStation } from '../../common/station-context';
import { useHotkey } from '../../common/use-hotkey';
import { SectionBar } from './SectionBar';

const PAGE_SIZE = 50;

const SORT_LABELS: Record<OrderSort, string> = {
  'time-desc': '时间 新→旧',
  'time-asc': '时间 旧→新',
  'total-desc': '金额 高→低',
  'total-asc': '金额 低→高',
};

const yuan = (fen: number) => formatYuan(fen);
const COLUMNS: TableColumnsType<OrderListRow> = [
  { title: '时间', key: 'at', render: (_, r) => formatDateTime(r.createdAt), width: 150 },
  { title: 'HIS单号', key: 'his', render: (_, r) => <span className="code">{r.hisOrderNo}</span>, width: 120 },
  { title: '患者', key: 'patient', render: (_, r) => r.patientName, width: 90 },
  { title: '身份证号', key: 'cert', render: (_, r) => <span className="code">{r.certNo}</span>, width: 170 },
  { title: '医生', key: 'doctor', render: (_, r) => r.doctorName, width: 80 },
  { title: '科室', key: 'dept', render: (_, r) => r.deptName, width: 80 },
  { title: '收费员', key: 'operator', render: (_, r) => <span className="code">{r.operatorId}</span>, width: 70 },
  { title: '状态', key: 'state', render: (_, r) => <Tag>{ORDER_STATE_LABELS[r.state]}</Tag>, width: 96 },
  { title: '渠道', key: 'channel', render: (_, r) => (r.channel ? CHANNEL_LABELS[r.channel] : '—'), width: 60 },
  { title: '总额', key: 'total', align: 'right', render: (_, r) => yuan(r.totalFen), width: 90 },
  { title: '统筹', key: 'fund', align: 'right', render: (_, r) => yuan(r.fundFen), width: 90 },
  { title: '个人账户', key: 'account', align: 'right', render: (_, r) => yuan(r.accountFen), width: 90 },
  { title: '自付', key: 'self', align: 'right', render: (_, r) => yuan(r.selfPayFen), width: 90 },
];
const LINE_COLUMNS: TableColumnsType<OrderLineView> = [
  { title: '#', dataIndex: 'seq', width: 40 },
  { title: '项目', dataIndex: 'name' },
  { title: '规格', dataIndex: 'spec', width: 110 },
  { title: '数量', render: (_, l) => `${l.quantity}${l.unit}`, width: 70 },
  { title: '单价', align: 'right', render: (_, l) => yuan(l.unitPriceFen), width: 90 },
  { title: '金额', align: 'right', render: (_, l) => yuan(l.amountFen), width: 90 },
  { title: '类别', dataIndex: 'chargeLevel', width: 60 },
];

/** Today in the browser's calendar; the core reads the days in the station's zone. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Focus in a field: Enter and the arrows belong to it, not to the list. */
const typing = () => {
  const el = document.activeElement;
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el?.getAttribute('role') === 'combobox';
};

/**
 * 结算流水: the station's orders by day range, cashier, state, channel and patient (ID number), sorted and paged;
 * Enter (or a click) opens a row's fee lines; F6 / F7 export the same filter to xlsx / CSV, Esc cancels.
 * F3 searches; ↑ ↓ move the row, PageUp / PageDown turn the page.
 */
export function OrderLedger() {
  const api = useStation();
  const [form, setForm] = useState({ from: today(), to: today(), operatorId: '', state: '', channel: '', certNo: '' });
  const [sort, setSort] = useState<OrderSort>('time-desc');
  const [asked, setAsked] = useState<{ filter: OrderFilter; page: number } | null>(null);
  const [result, setResult] = useState<OrderPage | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState(0);
  const [lines, setLines] = useState<{ row: OrderListRow; lines: OrderLineView[] } | null>(null);
  const [exporting, setExporting] = useState<ExportProgress | null>(null);

  const filterOf = (): OrderFilter => ({
    from: form.from,
    to: form.to,
    ...(form.operatorId.trim() ? { operatorId: form.operatorId.trim() } : {}),
    ...(form.state ? { states: [form.state as OrderState] } : {}),
    ...(form.channel ? { channel: form.channel as PayChannel } : {}),
    ...(form.certNo.trim() ? { certNo: form.certNo.trim() } : {}),
  });

  useEffect(() => {
    if (!asked) return;
    let current = true;
    void api.searchOrders({ filter: asked.filter, sort, limit: PAGE_SIZE, offset: asked.page * PAGE_SIZE }).then((r) => {
      if (!current) return;
      setError(r.ok ? null : r.error);
      if (r.ok) setResult(r.value);
      setSelected(0);
    });
    return () => {
      current = false;
    };
  }, [api, asked, sort]);

  // Esc closes the fee lines wherever the focus is (the dialog need not have taken it yet).
  useEffect(() => {
    if (!lines) return;
    const close = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      setLines(null);
    };
    window.addEventListener('keydown', close, { capture: true });
    return () => window.removeEventListener('keydown', close, { capture: true });
  }, [lines]);

  useEffect(() => api.onExportProgress((p) => setExporting((now) => (now && now.exportId === p.exportId ? p : now))), [api]);

  const search = () => setAsked({ filter: filterOf(), page: 0 });
  const turn = (by: number) => {
    if (!asked || !result) return;
    const last = Math.max(0, Math.ceil(result.total / PAGE_SIZE) - 1);
    const page = Math.min(last, Math.max(0, asked.page + by));
    if (page !== asked.page) setAsked({ ...asked, page });
  };
  const open = async (row: OrderListRow | undefined) => {
    if (!row) return;
    const r = await api.orderFeeLines({ orderId: row.id });
    if (r.ok) setLines({ row, lines: r.value });
    else setError(r.error);
  };
  const startExport = async (format: ExportFormat) => {
    if (exporting?.state === 'running') return;
    const r = await api.exportOrders({ filter: filterOf(), sort, format });
    if (!r.ok) return setError(r.error);
    setError(null);
    setExporting({ exportId: r.value.exportId, done: 0, total: r.value.total, state: 'running', file: null });
  };
  const running = exporting?.state === 'running';
  const rows = result?.rows ?? [];

  useHotkey('F3', search);
  useHotkey('F6', () => void startExport('xlsx'));
  useHotkey('F7', () => void startExport('csv'));
  useHotkey('Escape', () => exporting && void api.cancelExport({ exportId: exporting.exportId }), { enabled: running });
  useHotkey('PageDown', () => turn(1));
  useHotkey('PageUp', () => turn(-1));
  useHotkey('ArrowDown', () => !typing() && setSelected((i) => Math.min(rows.length - 1, i + 1)));
  useHotkey('ArrowUp', () => !typing() && setSelected((i) => Math.max(0, i - 1)));
  useHotkey('Enter', () => (typing() ? search() : void open(rows[selected])));

  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  return (
    <>
      <div className="ledger-filters" data-testid="ledger-filters">
        <Input
          type="date"
          aria-label="开始日期"
          value={form.from}
          onChange={(e) => set('from')(e.target.value)}
          data-testid="ledger-from"
        />
        <Input type="date" aria-label="结束日期" value={form.to} onChange={(e) => set('to')(e.target.value)} data-testid="ledger-to" />
        <Input
          placeholder="收费员工号"
          value={form.operatorId}
          onChange={(e) => set('operatorId')(e.target.value)}
          data-testid="ledger-operator"
        />
        <Select
          aria-label="状态"
          placeholder="全部状态"
          allowClear
          value={form.state || undefined}
          onChange={(v?: string) => set('state')(v ?? '')}
          options={ORDER_STATES.map((s) => ({ value: s, label: ORDER_STATE_LABELS[s] }))}
          data-testid="ledger-state"
        />
        <Select
          aria-label="渠道"
          placeholder="全部渠道"
          allowClear
          value={form.channel || undefined}
          onChange={(v?: string) => set('channel')(v ?? '')}
          options={Object.entries(CHANNEL_LABELS).map(([value, label]) => ({ value, label }))}
          data-testid="ledger-channel"
        />
        <Input placeholder="患者身份证号" value={form.certNo} onChange={(e) => set('certNo')(e.target.value)} data-testid="ledger-cert" />
        <Select
          aria-label="排序"
          value={sort}
          onChange={(v: OrderSort) => setSort(v)}
          options={Object.entries(SORT_LABELS).map(([value, label]) => ({ value, label }))}
          data-testid="ledger-sort"
        />
        <Button type="primary" onClick={search} data-testid="ledger-search">
          查询 F3
        </Button>
      </div>
      <SectionBar note={result ? `共 ${result.total}${result.totalCapped ? '+' : ''} 笔 · Enter 查看费用明细` : '选择条件后按 F3 查询'}>
        {running && exporting ? (
          <span className="ledger-export" data-testid="ledger-export-progress">
            <Progress percent={exporting.total ? Math.floor((exporting.done * 100) / exporting.total) : 0} size="small" />
            <Button onClick={() => void api.cancelExport({ exportId: exporting.exportId })} data-testid="ledger-export-cancel">
              取消导出 Esc
            </Button>
          </span>
        ) : (
          <>
            {exporting && (
              <span className="ledger-export__done" data-testid="ledger-export-state" data-state={exporting.state}>
                {exporting.state === 'finished'
                  ? `已导出 ${exporting.done} 笔：${exporting.file ?? ''}`
                  : exporting.state === 'cancelled'
                    ? '导出已取消'
                    : '导出失败'}
              </span>
            )}
            <Button onClick={() => void startExport('xlsx')} data-testid="ledger-export-xlsx">
              导出 xlsx F6
            </Button>
            <Button onClick={() => void startExport('csv')} data-testid="ledger-export-csv">
              导出 CSV F7
            </Button>
          </>
        )}
      </SectionBar>
      {error && <ErrorNotice error={error} testId="ledger-error" />}
      <ScrollTable
        data-testid="ledger-table"
        columns={COLUMNS}
        rows={rows}
        rowKey={(r) => r.id}
        empty={asked ? '没有符合条件的结算' : '尚未查询'}
        selectedKey={rows[selected]?.id ?? null}
        onRowClick={(row) => void open(row)}
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
          data-testid="ledger-pager"
        />
      )}
      <Modal
        open={lines !== null}
        title={lines ? `费用明细 · ${lines.row.hisOrderNo} · ${lines.row.patientName}` : ''}
        onCancel={() => setLines(null)}
        footer={null}
        destroyOnHidden
        width={760}
      >
        {lines && (
          <Table<OrderLineView>
            size="small"
            columns={LINE_COLUMNS}
            dataSource={lines.lines}
            rowKey={(l) => l.seq}
            pagination={false}
            scroll={{ y: 360 }}
            data-testid="ledger-lines"
          />
        )}
      </Modal>
    </>
  );
}
