/** The embedded default of the finance query port: this station's own SQLite, through the list specs' engine. */
import type { FinanceListName, FinanceRow } from '../../shared/finance-lists';
import type { FinanceQuery, FinanceQueryPage, FinanceQueryPort } from './finance-query-port';
import type { FinanceSearch } from './finance-search';
import type { Viewer } from './order-search';

export type FinanceLists = { [K in FinanceListName]: FinanceSearch<Extract<FinanceRow, { list: K }>> };

export class StationFinanceQuery implements FinanceQueryPort {
  readonly source = 'station';

  constructor(private readonly lists: FinanceLists) {}

  serves(): boolean {
    return true;
  }

  page(q: FinanceQuery, viewer: Viewer): Promise<FinanceQueryPage> {
    const list: FinanceSearch<FinanceRow> = this.lists[q.list];
    const { rows, total } = list.page(q.filter, q.sort, q.limit, q.offset, viewer);
    return Promise.resolve({ rows, total, totalCapped: false });
  }
}
