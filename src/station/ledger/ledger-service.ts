/**
 * The lists' operations as the station serves them (searchOrders, orderFeeLines, exportOrders, cancelExport):
 * the viewer's roles decide the masking, each export's progress goes out as an event naming its operator, and
 * only the operator who started an export may cancel it.
 */
import type { OrderLineView, SignedInOperator } from '../../shared/domain';
import { StationError } from '../../shared/result';
import type { EVoucherReportView, ExportFormat, OrderFilter, OrderPage, OrderSort } from '../../shared/ledger';
import { localDay } from '../clock';
import type { EventBus } from '../events';
import type { FieldCipher } from '../security';
import type { AuditRepo, Db } from '../store';
import type { FinanceFilter, FinanceListName, FinancePage, FinanceRow, FinanceSort, FinanceSource } from '../../shared/finance-lists';
import type { FinanceQueryPort } from './finance-query-port';
import { StationFinanceQuery, type FinanceLists } from './station-finance-query';
import { eVoucherReport, writeEVoucherReport } from './evoucher-report';
import { auditFilter, OrderExports, type ExportBatch } from './order-exports';
import { FinanceSearch, type ListSpec } from './finance-search';
import { PAYMENTS, REFUNDS, REGISTRATIONS } from './finance-specs';
import { OrderSearch, type After } from './order-search';

export interface LedgerDeps {
  db: Db;
  cipher: FieldCipher;
  timeZone: string;
  now: () => Date;
  audit: AuditRepo;
  bus: EventBus;
  /** the data dir's exports/ folder; none: this station writes no exports */
  exportsDir: string | undefined;
  /** the station these rows are from: the embedded ledger holds only its own */
  stationId: string;
  /** where the finance lists are read and exported from (default: this station's SQLite) */
  financeQuery?: FinanceQueryPort;
}

type Range = { from?: string | undefined; to?: string | undefined; operatorId?: string | undefined };

export class LedgerService {
  private readonly search: OrderSearch;
  private readonly exports: OrderExports | null;
  private readonly owners = new Map<string, string>();
  private readonly lists: FinanceLists;
  private readonly stationQuery: FinanceQueryPort;
  private readonly financeQuery: FinanceQueryPort;

  constructor(private readonly deps: LedgerDeps) {
    this.search = new OrderSearch(deps.db, deps.cipher, deps.timeZone);
    const list = <R extends FinanceRow>(spec: ListSpec<R>) => new FinanceSearch(spec, deps.db, deps.cipher, deps.timeZone, deps.stationId);
    this.lists = { registrations: list(REGISTRATIONS), payments: list(PAYMENTS), refunds: list(REFUNDS) };
    this.stationQuery = new StationFinanceQuery(this.lists);
    this.financeQuery = deps.financeQuery ?? this.stationQuery;
    this.exports = deps.exportsDir
      ? new OrderExports({
          search: this.search,
          dir: deps.exportsDir,
          timeZone: deps.timeZone,
          now: deps.now,
          audit: (entry) => deps.audit.append(entry, deps.now()),
          onProgress: (progress, operatorId) => deps.bus.emit('exportProgress', { ...progress, operatorId }),
        })
      : null;
  }

  searchOrders(operator: SignedInOperator, args: { filter: OrderFilter; sort: OrderSort; limit: number; offset: number }): OrderPage {
    return this.search.page(args.filter, args.sort, args.limit, args.offset, operator);
  }

  orderFeeLines(orderId: string): OrderLineView[] {
    const lines = this.search.feeLines(orderId);
    if (!lines) throw new StationError('NOT_FOUND', '没有这张单据');
    return lines;
  }

  async searchFinance(
    operator: SignedInOperator,
    args: { list: FinanceListName; filter: FinanceFilter; sort: FinanceSort; limit: number; offset: number },
  ): Promise<FinancePage> {
    const port = this.portFor(args.list);
    const page = await port.page(args, operator);
    return { list: args.list, ...page, source: port.source, here: this.deps.stationId };
  }

  exportOrders(
    operator: SignedInOperator,
    args: { filter: OrderFilter; sort: OrderSort; format: ExportFormat },
  ): { exportId: string; total: number } {
    return this.own(operator, (exports) => exports.start({ ...args, viewer: operator, operatorId: operator.id }));
  }

  /**
   * A finance list's export: what the list shows, from where it shows it (本站 or 全院, the same port), with the same
   * writers, masking and audit as the orders'.
   */
  async exportFinance(
    operator: SignedInOperator,
    args: { list: FinanceListName; filter: FinanceFilter; sort: FinanceSort; format: ExportFormat },
  ): Promise<{ exportId: string; total: number; source: FinanceSource }> {
    const list: FinanceSearch<FinanceRow> = this.lists[args.list];
    const port = this.portFor(args.list);
    const source = port === this.stationQuery ? null : await this.hospitalBatches(port, operator, args);
    const started = this.own(operator, (exports) =>
      exports.startList({
        title: `${list.title}列表`,
        headers: list.headers,
        total: source?.total ?? list.count(args.filter),
        next:
          source?.next ??
          ((after, limit) => {
            const batch = list.batch(args.filter, args.sort, after, limit, operator);
            return { cells: batch.rows.map((r) => list.cells(r)), next: batch.next };
          }),
        format: args.format,
        operatorId: operator.id,
        auditWhat: `list ${args.list}; source ${port.source}; ${auditFilter(args.filter, args.sort)}`,
      }),
    );
    return { ...started, source: port.source };
  }

  /** The hospital's rows page by page through the port; `after` only says where the last page ended. */
  private async hospitalBatches(
    port: FinanceQueryPort,
    viewer: SignedInOperator,
    args: { list: FinanceListName; filter: FinanceFilter; sort: FinanceSort },
  ): Promise<{ total: number; next: (after: After | null, limit: number) => Promise<ExportBatch> }> {
    const list: FinanceSearch<FinanceRow> = this.lists[args.list];
    const first = await port.page({ ...args, limit: 1, offset: 0 }, viewer);
    return {
      total: first.total,
      next: async (after, limit) => {
        const offset = after === null ? 0 : Number(after.key);
        const page = await port.page({ ...args, limit, offset }, viewer);
        const last = page.rows.at(-1);
        const more = page.rows.length === limit && last !== undefined;
        return { cells: page.rows.map((r) => list.cells(r)), next: more ? { key: offset + limit, id: last.id } : null };
      },
    };
  }

  private portFor(list: FinanceListName): FinanceQueryPort {
    // A list the hospital ledger does not serve is this station's own, and the page says so (本站).
    return this.financeQuery.serves(list) ? this.financeQuery : this.stationQuery;
  }

  private own(operator: SignedInOperator, start: (exports: OrderExports) => { exportId: string; total: number; done: Promise<unknown> }) {
    if (!this.exports) throw new StationError('CONFLICT', '本工作站未配置导出目录');
    const job = start(this.exports);
    this.owners.set(job.exportId, operator.id);
    void job.done.finally(() => this.owners.delete(job.exportId));
    return { exportId: job.exportId, total: job.total };
  }

  cancelExport(operator: SignedInOperator, exportId: string): { cancelled: boolean } {
    if (this.owners.get(exportId) !== operator.id) return { cancelled: false };
    return { cancelled: this.exports?.cancel(exportId) ?? false };
  }

  /** DQ-05: e-voucher identifications and the bills they led to, by day and operator (no days: the station's today). */
  eVoucherReport(args: Range): EVoucherReportView {
    const today = localDay(this.deps.now(), this.deps.timeZone);
    const from = args.from ?? args.to ?? today;
    const to = args.to ?? (args.from ? from : today);
    return { from, to, rows: eVoucherReport(this.deps.db, this.deps.timeZone, { from, to, operatorId: args.operatorId }) };
  }

  /** DQ-05 as a file in the exports folder; audited. */
  async exportEVoucherReport(operator: SignedInOperator, args: Range & { format: ExportFormat }): Promise<{ file: string; rows: number }> {
    const { exportsDir, timeZone, now, audit } = this.deps;
    if (!exportsDir) throw new StationError('CONFLICT', '本工作站未配置导出目录');
    const { from, to, rows } = this.eVoucherReport(args);
    const file = await writeEVoucherReport(rows, args.format, exportsDir, { now: now(), timeZone, from, to });
    const detail = `${from}..${to} ${rows.length} rows → ${file}`;
    audit.append({ operatorId: operator.id, action: 'report.eVoucher', outcome: 'ok', detail }, now());
    return { file, rows: rows.length };
  }
}
