import { Table, type TableColumnsType } from 'antd';

interface ScrollTableProps<Row> {
  columns: TableColumnsType<Row>;
  rows: readonly Row[];
  rowKey: (row: Row) => string | number;
  empty: string;
  /** on the scrolling area, which holds the whole table */
  'data-testid': string;
  /** a row the keys move and Enter opens (marked, and scrolled into view by its owner) */
  selectedKey?: string | number | null;
  onRowClick?: (row: Row) => void;
}

/**
 * A list on an admin screen: antd's small table in an area that scrolls by itself under a sticky header, so a
 * long list never makes the page scroll. The area takes the height its flex parent leaves.
 */
export function ScrollTable<Row extends object>({ columns, rows, rowKey, empty, selectedKey, onRowClick, ...rest }: ScrollTableProps<Row>) {
  return (
    <div className="scroll-table" data-testid={rest['data-testid']}>
      <Table<Row>
        size="small"
        columns={columns}
        dataSource={[...rows]}
        rowKey={rowKey}
        pagination={false}
        locale={{ emptyText: empty }}
        {...(onRowClick ? { onRow: (row: Row) => ({ onClick: () => onRowClick(row) }) } : {})}
        {...(selectedKey !== undefined
          ? { rowClassName: (row: Row) => (rowKey(row) === selectedKey ? 'scroll-table__row--selected' : '') }
          : {})}
      />
    </div>
  );
}
