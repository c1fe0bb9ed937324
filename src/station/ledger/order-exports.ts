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
import { exportCells } from './export-columns';
import { openRowWriter } from './export-writers';
import type { After, OrderSearch, Viewer } from './order-search';

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

interface Job {
  cancelled: boolean;
}

export class OrderExports {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly deps: OrderExportsDeps) {}

  /** Starts an export; `done` settles when it has finished, been cancelled or failed (never rejects). */
  start(req: ExportRequest): { exportId: string; total: number; done: Promise<ExportProgress> } {
    const exportId = randomUUID();
    const total = this.deps.search.count(req.filter);
    const job: Job = { cancelled: false };
    this.jobs.set(exportId, job);
    const done = this.run(exportId, total, req, job).finally(() => this.jobs.delete(exportId));
    return { exportId, total, done };
  }

  /** Asks a running export to stop after its current batch; false when there is none by that id. */
  cancel(exportId: string): boolean {
    const job = this.jobs.get(exportId);
    if (!job) return false;
    job.cancelled = true;
    return true;
  }

  private async run(exportId: string, total: number, req: ExportRequest, job: Job): Promise<ExportProgress> {
    const { search, dir, timeZone, now, onProgress } = this.deps;
    const batchSize = this.deps.batchSize ?? 1_000;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const name = `结算流水-${compactSecond(now(), timeZone)}-${exportId.slice(0, 8)}.${req.format}`;
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
      writer = openRowWriter(req.format, part, '结算流水');
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
        const batch = search.batch(req.filter, req.sort, after, batchSize, req.viewer);
        await writer.add(batch.rows.map((r) => exportCells(r, timeZone)));
        done += batch.rows.length;
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

  private audit(req: ExportRequest, outcome: 'ok' | 'failed', what: string): void {
    // The filter as it was asked, the patient's ID number masked: the trail is not a second copy of personal data.
    const filter = { ...req.filter, ...(req.filter.certNo ? { certNo: maskCertNo(req.filter.certNo) } : {}) };
    this.deps.audit({
      operatorId: req.operatorId,
      action: 'ledger.export',
      outcome,
      detail: `${req.format} ${what}; sort ${req.sort}; filter ${JSON.stringify(filter)}`,
    });
  }
}
