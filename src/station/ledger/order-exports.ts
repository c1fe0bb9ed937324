/**
 * Exports of the admin's order list (issue 13, item 5): the same filter as the list, written by the core into the
 * data dir's `exports/` folder, batch by batch (each batch its own short query, so the station keeps answering
 * the windows between batches and memory stays that of one batch), with progress and cancel. Names and ID
 * numbers are masked unless the exporter's role may see them. Every export is audited — who, which filter, how
 * many rows, and how it ended — finished, cancelled or failed alike.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ExportFormat, ExportProgress, OrderFilter, OrderSort } from '../../shared/ledger';
import { compactSecond } from '../clock';
import { maskCertNo } from '../workflows';
import { maskName } from '../../devices/masking';
import { EXPORT_HEADERS, exportCells, type Cell } from './export-columns';
import { openRowWriter } from './export-writers';
import type { After, OrderSearch, PersonCache, Viewer } from './order-search';

export interface ExportRequest {
  filter: OrderFilter;
  sort: OrderSort;
  format: ExportFormat;
  viewer: Viewer;
  operatorId: string;
}

export interface ExportAudit {
  (entry: { operatorId: string; action: 'ledger.export'; outcome: 'ok' | 'failed'; detail: string }): void;
}

export interface OrderExportsDeps {
  search: OrderSearch;
  /** the data dir's exports/ folder */
  dir: string;
  timeZone: string;
  now: () => Date;
  audit: ExportAudit;
  onProgress: (progress: ExportProgress, operatorId: string) => void;
  batchSize?: number;
}

export interface ExportBatch {
  cells: Cell[][];
  next: After | null;
}

/** One export's rows, whatever the list: its sheet name, headers, row count and batches of cells. */
export interface ExportSource {
  title: string;
  headers: readonly string[];
  total: number;
  /** a batch from this station's SQLite, or a promised one from the hospital's ledger */
  next(after: After | null, limit: number): ExportBatch | Promise<ExportBatch>;
  format: ExportFormat;
  operatorId: string;
  /** sort and filter as the audit row tells them */
  auditWhat: string;
}

interface Job {
  cancelled: boolean;
}

export class OrderExports {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly deps: OrderExportsDeps) {}

  /** Starts an export; `done` settles when it has finished, been cancelled or failed (never rejects). */
  start(req: ExportRequest): { exportId: string; total: number; done: Promise<ExportProgress> } {
    const { search, timeZone } = this.deps;
    const persons: PersonCache = new Map(); // this export's own: the clear names never outlive it
    return this.startList({
      title: '结算流水',
      headers: EXPORT_HEADERS,
      total: search.count(req.filter),
      next: (after, limit) => {
        const batch = search.batch(req.filter, req.sort, after, limit, req.viewer, persons);
        return { cells: batch.rows.map((r) => exportCells(r, timeZone)), next: batch.next };
      },
      format: req.format,
      operatorId: req.operatorId,
      auditWhat: auditFilter(req.filter, req.sort),
    });
  }

  /** Any list's export: the caller binds its filter, sort and viewer into `next`. */
  startList(source: ExportSource): { exportId: string; total: number; done: Promise<ExportProgress> } {
    const exportId = randomUUID();
    const job: Job = { cancelled: false };
    this.jobs.set(exportId, job);
    const done = this.run(exportId, source, job).finally(() => this.jobs.delete(exportId));
    return { exportId, total: source.total, done };
  }

  /** Asks a running export to stop after its current batch; false when there is none by that id. */
  cancel(exportId: string): boolean {
    const job = this.jobs.get(exportId);
    if (!job) return false;
    job.cancelled = true;
    return true;
  }

  private async run(exportId: string, req: ExportSource, job: Job): Promise<ExportProgress> {
    const { dir, timeZone, now, onProgress } = this.deps;
    const total = req.total;
    const batchSize = this.deps.batchSize ?? 1_000;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const name = `${req.title}-${compactSecond(now(), timeZone)}-${exportId.slice(0, 8)}.${req.format}`;
    const file = path.join(dir, name);
    const part = `${file}.part`;
    let done = 0;
    const report = (state: ExportProgress['state'], at: string | null): ExportProgress => {
      const progress = { exportId, done, total, state, file: at };
      onProgress(progress, req.operatorId);
      return progress;
    };
    let writer: ReturnType<typeof openRowWriter> | undefined;
    try {
      writer = openRowWriter(req.format, part, req.title, req.headers);
      let after: After | null = null;
      do {
        // Yield between batches: the windows' calls run here, and a cancel takes effect.
        await new Promise((resolve) => setImmediate(resolve));
        if (job.cancelled) {
          await writer.abort();
          fs.rmSync(part, { force: true });
          this.audit(req, 'failed', `cancelled after ${done} of ${total} rows`);
          return report('cancelled', null);
        }
        const batch = await req.next(after, batchSize);
        await writer.add(batch.cells);
        done += batch.cells.length;
        after = batch.next;
        if (after) report('running', null);
      } while (after);
      await writer.finish();
      fs.renameSync(part, file);
      this.audit(req, 'ok', `${done} rows → exports/${name}`);
      return report('finished', file);
    } catch (e) {
      await writer?.abort().catch(() => undefined);
      fs.rmSync(part, { force: true });
      this.audit(req, 'failed', `failed after ${done} rows: ${e instanceof Error ? e.message : String(e)}`);
      return report('failed', null);
    }
  }

  private audit(req: ExportSource, outcome: 'ok' | 'failed', what: string): void {
    this.deps.audit({ operatorId: req.operatorId, action: 'ledger.export', outcome, detail: `${req.format} ${what}; ${req.auditWhat}` });
  }
}

/** The filter as it was asked, the patient's ID number masked: the trail is not a second copy of personal data. */
export function auditFilter(filter: object, sort: string): string {
  const masked = Object.fromEntries(
    Object.entries(filter).map(([k, v]: [string, unknown]) => {
      if (k === 'certNo' && typeof v === 'string') return [k, maskCertNo(v)];
      if (k === 'patient' && v && typeof v === 'object') {
        const p = v as { certNo?: string; name?: string };
        return [k, p.certNo ? { certNo: maskCertNo(p.certNo) } : { name: maskName(p.name ?? '') }];
      }
      return [k, v];
    }),
  );
  return `sort ${sort}; filter ${JSON.stringify(masked)}`;
}
