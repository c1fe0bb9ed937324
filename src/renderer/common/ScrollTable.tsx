import { Table, type TableColumnsType } from 'antd';

interface ScrollTableProps<Row> {
  columns: TableColumnsType<Row>;
  rows: readonly Row[];
  rowKey: (row: Row) => string | number;
  empty: string;
  /** on the scrolling area, which holds the whole table */
  'data-testid': string;
}

/**
 * A list on an admin screen: antd's small table in an area that scrolls by itself under a sticky header, so a
 * long list never makes the page scroll. The area takes the height its flex parent leaves.
 */
export function ScrollTable<Row extends object>({ columns, rows, rowKey, empty, ...rest }: ScrollTableProps<Row>) {
  return (
    <div className="scroll-table" data-testid={rest['data-testid']}>
      <Table<Row> size="small" columns={columns} dataSource={[...rows]} rowKey={rowKey} pagination={false} locale={{ emptyText: empty }} />
    </div>
  );
}
