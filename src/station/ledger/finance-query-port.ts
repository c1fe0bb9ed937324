/**
 * The port the finance lists are read through (issue 13 item 7): the station's own SQLite by default, the hospital's
 * PostgreSQL ledger (every station) where an office login is configured. Both answer the same filters, sorts and
 * pages; the page says which source answered so the screen can tell 本站 from 全院.
 */
import type { FinanceFilter, FinanceListName, FinanceRow, FinanceSort, FinanceSource } from '../../shared/finance-lists';
import type { Viewer } from './order-search';

export interface FinanceQuery {
  list: FinanceListName;
  filter: FinanceFilter;
  sort: FinanceSort;
  limit: number;
  offset: number;
}

export interface FinanceQueryPage {
  rows: FinanceRow[];
  total: number;
  /** the pager counted only up to its cap: more rows match */
  totalCapped: boolean;
  /** what the screen should say beside the rows (全院 by patient: only rows with lookup tokens are found) */
  notice?: string;
}

export interface FinanceQueryPort {
  readonly source: FinanceSource;
  /** whether this source answers the list; one it does not is read from this station's own database */
  serves(list: FinanceListName): boolean;
  page(query: FinanceQuery, viewer: Viewer): Promise<FinanceQueryPage>;
}
