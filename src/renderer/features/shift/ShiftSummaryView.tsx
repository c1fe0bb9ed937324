import { Table, type TableColumnsType } from 'antd';
import { SHIFT_CHANNEL_LABELS, type ShiftChannelLine, type ShiftSummary } from '../../../shared/shifts';
import { fenToYuan } from '../../../shared/money';
import { fenToCapitals } from '../../../shared/money-capitals';

const COLUMNS: TableColumnsType<ShiftChannelLine> = [
  { title: '渠道', dataIndex: 'channel', render: (c: ShiftChannelLine['channel']) => SHIFT_CHANNEL_LABELS[c] },
  { title: '笔数', dataIndex: 'count', align: 'right' },
  { title: '收款（元）', dataIndex: 'amountFen', align: 'right', render: (f: number) => fenToYuan(f) },
  { title: '退费笔数', dataIndex: 'refundCount', align: 'right' },
  { title: '退费（元）', dataIndex: 'refundFen', align: 'right', render: (f: number) => fenToYuan(f) },
];

type Totals = Pick<
  ShiftSummary,
  'channels' | 'orders' | 'totalFen' | 'refunds' | 'refundFen' | 'netFen' | 'depositRefunds' | 'depositRefundFen'
>;

/** A shift's (or a day's) money by channel and its totals, the totals also in Chinese capitals as on the slip. */
export function ShiftSummaryView({ summary, testId }: { summary: Totals; testId: string }) {
  return (
    <div className="shift-summary" data-testid={testId}>
      <Table<ShiftChannelLine>
        size="small"
        rowKey="channel"
        pagination={false}
        columns={COLUMNS}
        dataSource={summary.channels}
        onRow={(l) => ({ 'data-testid': `${testId}-${l.channel}` }) as React.HTMLAttributes<HTMLElement>}
      />
      <p className="shift-summary__line" data-testid={`${testId}-total`}>
        结算 {summary.orders} 笔，合计 ¥{fenToYuan(summary.totalFen)}（{fenToCapitals(summary.totalFen)}）
      </p>
      <p className="shift-summary__line">
        退费 {summary.refunds} 笔，合计 ¥{fenToYuan(summary.refundFen)}（{fenToCapitals(summary.refundFen)}）
      </p>
      {summary.depositRefunds > 0 && (
        <p className="shift-summary__line" data-testid={`${testId}-deposit-refunds`}>
          预交金退款（现金）{summary.depositRefunds} 笔，合计 ¥{fenToYuan(summary.depositRefundFen)}（
          {fenToCapitals(summary.depositRefundFen)}）
        </p>
      )}
      <p className="shift-summary__line shift-summary__net" data-testid={`${testId}-net`}>
        净收 ¥{fenToYuan(summary.netFen)}（{fenToCapitals(summary.netFen)}）
      </p>
    </div>
  );
}
