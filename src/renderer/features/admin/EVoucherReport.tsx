import { useState } from 'react';
import { Alert, Button, Input, Table, type TableColumnsType } from 'antd';
import type { EVoucherReportRow } from '../../../shared/ledger';
import { formatYuan } from '../../../shared/money';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { useHotkey } from '../../common/use-hotkey';
import { useStation } from '../../common/station-context';
import { useStationQuery } from '../../common/use-station-query';

const COLUMNS: TableColumnsType<EVoucherReportRow> = [
  { title: '日期', dataIndex: 'day', width: 110 },
  { title: '操作员', key: 'operator', render: (_, r) => `${r.operatorName}（${r.operatorId}）` },
  { title: '电子凭证识别', dataIndex: 'identifications', align: 'right', width: 110 },
  { title: '产生结算', dataIndex: 'settledIdentifications', align: 'right', width: 90 },
  { title: '结算笔数', dataIndex: 'settlements', align: 'right', width: 90 },
  { title: '医疗费总额', key: 'total', align: 'right', width: 120, render: (_, r) => formatYuan(r.totalFen) },
  { title: '基金支付', key: 'fund', align: 'right', width: 110, render: (_, r) => formatYuan(r.fundFen) },
  { title: '个人账户', key: 'account', align: 'right', width: 110, render: (_, r) => formatYuan(r.accountFen) },
  { title: '个人现金', key: 'cash', align: 'right', width: 110, render: (_, r) => formatYuan(r.cashFen) },
  { title: '已退费', dataIndex: 'refunded', align: 'right', width: 80 },
];

type Outcome = { ok: string } | { error: ApiError } | null;

/**
 * DQ-05 电子凭证报表 (admin): e-voucher identifications by day and operator and the bills they led to, over a date
 * range the station counts in its own time zone; 导出 CSV (F8) / Excel (F9) into the exports folder.
 */
export function EVoucherReport() {
  const api = useStation();
  // Empty: the station's today, as the core counts it in its own time zone (not the screen's).
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const [outcome, setOutcome] = useState<Outcome>(null);
  const report = useStationQuery((station) => station.eVoucherReport(range));
  const ready = report.status === 'ready' ? report.value : null;
  const exportAs = async (format: 'csv' | 'xlsx') => {
    const r = await api.exportEVoucherReport({ ...range, format });
    setOutcome(r.ok ? { ok: `已导出 ${r.value.rows} 行：${r.value.file}` } : { error: r.error });
  };
  useHotkey('F8', () => void exportAs('csv'));
  useHotkey('F9', () => void exportAs('xlsx'));
  const pick = (key: 'from' | 'to') => (e: { target: { value: string } }) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(e.target.value)) return;
    setRange((r) => ({ from: ready?.from, to: ready?.to, ...r, [key]: e.target.value }));
    setOutcome(null);
    report.reload();
  };
  const rows = ready?.rows ?? [];
  return (
    <div className="evoucher-report" data-testid="evoucher-report">
      <div className="section-bar">
        <span className="section-bar__note evoucher-report__range">
          <Input
            type="date"
            size="small"
            aria-label="开始日期"
            data-testid="evoucher-from"
            value={range.from ?? ready?.from ?? ''}
            onChange={pick('from')}
          />
          至
          <Input
            type="date"
            size="small"
            aria-label="结束日期"
            data-testid="evoucher-to"
            value={range.to ?? ready?.to ?? ''}
            onChange={pick('to')}
          />
        </span>
        <span className="section-bar__actions">
          <Button size="small" data-testid="evoucher-export-csv" onClick={() => void exportAs('csv')}>
            导出 CSV <kbd>F8</kbd>
          </Button>
          <Button size="small" data-testid="evoucher-export-xlsx" onClick={() => void exportAs('xlsx')}>
            导出 Excel <kbd>F9</kbd>
          </Button>
        </span>
      </div>
      {report.status === 'failed' && <ErrorNotice error={report.error} testId="evoucher-error" />}
      <Table<EVoucherReportRow>
        size="small"
        rowKey={(r) => `${r.day}/${r.operatorId}`}
        pagination={false}
        columns={COLUMNS}
        dataSource={rows}
        locale={{ emptyText: '所选日期内没有医保电子凭证识别记录' }}
        data-testid="evoucher-rows"
      />
      {outcome && 'ok' in outcome && <Alert type="success" showIcon data-testid="evoucher-outcome" message={outcome.ok} />}
      {outcome && 'error' in outcome && <ErrorNotice error={outcome.error} testId="evoucher-outcome" />}
    </div>
  );
}
