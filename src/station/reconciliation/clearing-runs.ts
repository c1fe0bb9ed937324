/**
 * The month's cross-region clearing runs (ZS-07): in the window (5th–8th of the following month) an administrator
 * checks the centre's clearing detail (3260, page by page) against the hospital ledger, confirms it (3261: rows both
 * sides agree on 纳入, the others 不纳入) or rolls the standing confirmation back (3262, by its inf_refmsgid; "0"
 * when the station does not know one). Each run is kept (table `clearing_runs`, never changed); the rows name
 * settlement and visit ids only, never a person.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  confirmClearing,
  fetchClearingPage,
  CLEARING_PAGE_ROWS,
  rollbackClearing,
  type ClearingRow,
  type NhsaOutcome,
} from '../../insurance/nhsa';
import {
  CLEARING_ROW_LABELS,
  clearingWindow,
  type ClearingAction,
  type ClearingMonthView,
  type ClearingRowView,
  type ClearingRunView,
} from '../../shared/clearing';
import type { OperatorView } from '../../shared/domain';
import { fen } from '../../shared/money';
import { StationError } from '../../shared/result';
import { compactSecond, dayStartUtc, localDay } from '../clock';
import type { HospitalLedgerReader } from '../hospital-ledger';
import { openRowWriter, type Cell } from '../ledger';
import type { CentrePort } from '../ports';
import type { AuditRepo, Db } from '../store';
import { matchClearing, monthPicture, standingCrossRegion } from './month-clearing';

export interface ClearingRunsDeps {
  db: Db;
  audit: Pick<AuditRepo, 'append'>;
  gateway: CentrePort;
  ledger: HospitalLedgerReader;
  /** The treating region (the institution's admdvs): settlements insured elsewhere are cross-region. */
  ownRegion: string;
  now: () => Date;
  timeZone: string;
  exportsDir?: string | undefined;
}

interface Row {
  id: number;
  month: string;
  at: string;
  operator_id: string;
  action: ClearingAction;
  outcome: 'done' | 'failed';
  error: string | null;
  inf_refmsgid: string | null;
  totals_json: string;
  rows_json: string;
}

const EMPTY_TOTALS = { rows: 0, confirmed: 0, medfeeFen: 0, optinsFen: 0, differences: 0 };

export class ClearingRuns {
  private running: Promise<unknown> | null = null;

  constructor(private readonly d: ClearingRunsDeps) {}

  /** The month's picture from the ledger, the window, whether a confirmation stands, and the runs. */
  async month(month: string): Promise<ClearingMonthView> {
    const standing = standingCrossRegion(await this.eventsOf(month), this.d.ownRegion);
    const runs = this.list(month);
    return {
      month,
      window: clearingWindow(month, localDay(this.d.now(), this.d.timeZone)),
      state: clearingState(runs),
      ...monthPicture(standing, this.d.timeZone),
      runs,
    };
  }

  list(month: string): ClearingRunView[] {
    return readClearingRuns(this.d.db, month);
  }

  /** One run at a time; refused before anything is sent outside the window. A run the centre refused is kept, then thrown. */
  async run(operator: OperatorView, month: string, action: ClearingAction): Promise<ClearingRunView> {
    const window = clearingWindow(month, localDay(this.d.now(), this.d.timeZone));
    if (!window.open) throw new StationError('CONFLICT', `${month} 的异地清分受理时间为 ${window.opens} 至 ${window.closes}`);
    while (this.running) await this.running.catch(() => undefined);
    const run = action === 'rollback' ? this.rollback(operator, month) : this.checkOrConfirm(operator, month, action);
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = null;
    }
  }

  async export(operator: OperatorView, runId: number, format: 'csv' | 'xlsx'): Promise<{ file: string; rows: number }> {
    if (!this.d.exportsDir) throw new StationError('CONFLICT', '本工作站未配置导出目录');
    const row = this.d.db.prepare('SELECT * FROM clearing_runs WHERE id = ?').get(runId) as Row | undefined;
    if (!row) throw new StationError('NOT_FOUND', `没有编号为 ${runId} 的清分记录`);
    const run = view(row);
    fs.mkdirSync(this.d.exportsDir, { recursive: true, mode: 0o700 });
    const file = path.join(this.d.exportsDir, `异地清分-${run.month}-${compactSecond(this.d.now(), this.d.timeZone)}.${format}`);
    const t = (text: string): Cell => ({ text });
    const money = (v: number | undefined): Cell => (v === undefined ? { text: '' } : { fen: v });
    const cells = run.rows.map((r) => [
      t(run.month),
      t(CLEARING_ROW_LABELS[r.status]),
      t(r.setlId),
      t(r.mdtrtId),
      money(r.centre?.medfeeFen),
      money(r.centre?.optinsFen),
      money(r.station?.medfeeFen),
      money(r.station?.fundFen),
      t(r.station?.region ?? ''),
      t(r.station ? `${r.station.stationId} ${r.station.orderId}` : ''),
      t(r.confirmed ? '纳入' : '不纳入'),
      t(r.memo),
    ]);
    const headers = [
      '清分月份',
      '核对结果',
      '结算ID',
      '就诊ID',
      '中心总额',
      '中心统筹',
      '院内总额',
      '院内基金',
      '参保地',
      '工作站 订单',
      '确认',
      '说明',
    ];
    const part = `${file}.part`;
    const writer = openRowWriter(format, part, '异地清分', headers);
    try {
      await writer.add(cells);
      await writer.finish();
      fs.renameSync(part, file);
    } catch (e) {
      await writer.abort();
      fs.rmSync(part, { force: true });
      throw e;
    }
    this.audit(operator, 'clearing.export', `${run.month} #${runId} ${cells.length} rows → ${file}`);
    return { file, rows: cells.length };
  }

  private async checkOrConfirm(operator: OperatorView, month: string, action: 'check' | 'confirm'): Promise<ClearingRunView> {
    const [year, mm] = month.split('-') as [string, string];
    const centre: ClearingRow[] = [];
    for (let startrow = 1; ; startrow += CLEARING_PAGE_ROWS) {
      const page = await this.d.gateway.perform('3260', operator, (client, ctx) =>
        fetchClearingPage(client, ctx, { trt_year: year, trt_month: mm, startrow }),
      );
      if (page.kind !== 'ok') return this.failed(operator, month, action, '提取异地清分明细 (3260)', page);
      centre.push(...page.output.rows.filter((r) => r.mdtrt_id !== ''));
      if (page.output.rows.length < CLEARING_PAGE_ROWS) break;
    }
    const rows = matchClearing(centre, standingCrossRegion(await this.eventsOf(month), this.d.ownRegion));
    if (action === 'check') return this.keep(operator, month, action, 'done', null, null, rows);
    const flags = new Map(rows.map((r) => [r.setlId, r.confirmed]));
    const answer = await this.d.gateway.perform('3261', operator, (client, ctx) =>
      confirmClearing(client, ctx, {
        trt_year: year,
        trt_month: mm,
        totalrow: centre.length,
        detail: centre.map((c) => ({
          certno: c.certno,
          mdtrt_id: c.mdtrt_id,
          mdtrt_setl_time: c.mdtrt_setl_time,
          setl_sn: c.setl_sn,
          medfee_sumamt: fen(c.medfee_sumamt),
          optins_pay_sumamt: fen(c.optins_pay_sumamt),
          cnfm_flag: flags.get(c.setl_sn) ? '1' : '0',
        })),
      }),
    );
    if (answer.kind !== 'ok') return this.failed(operator, month, action, '异地清分结果确认 (3261)', answer, rows);
    const run = this.keep(operator, month, action, 'done', null, answer.infRefmsgid, rows);
    this.audit(operator, 'clearing.confirm', `${month} #${run.id} ${run.totals.confirmed}/${run.totals.rows} 纳入 ${answer.infRefmsgid}`);
    return run;
  }

  private async rollback(operator: OperatorView, month: string): Promise<ClearingRunView> {
    const [year, mm] = month.split('-') as [string, string];
    // NW's client always sends "0"; the confirmation's own id when this station made it, so only that one goes.
    const otransid = this.standingConfirmation(month)?.inf_refmsgid ?? '0';
    const answer = await this.d.gateway.perform('3262', operator, (client, ctx) =>
      rollbackClearing(client, ctx, { trt_year: year, trt_month: mm, otransid }),
    );
    if (answer.kind !== 'ok') return this.failed(operator, month, 'rollback', '异地清分结果确认回退 (3262)', answer);
    const run = this.keep(operator, month, 'rollback', 'done', null, answer.infRefmsgid, []);
    this.audit(operator, 'clearing.rollback', `${month} #${run.id} otransid ${otransid}`);
    return run;
  }

  /** The last confirm or roll-back that went through, when it is a confirm. */
  private standingConfirmation(month: string): Row | undefined {
    const last = this.d.db
      .prepare(
        `SELECT * FROM clearing_runs WHERE month = ? AND outcome = 'done' AND action IN ('confirm', 'rollback') ORDER BY id DESC LIMIT 1`,
      )
      .get(month) as Row | undefined;
    return last?.action === 'confirm' ? last : undefined;
  }

  private failed(
    operator: OperatorView,
    month: string,
    action: ClearingAction,
    what: string,
    outcome: Exclude<NhsaOutcome<unknown>, { kind: 'ok' }>,
    rows: ClearingRowView[] = [],
  ): never {
    const why = outcome.kind === 'rejected' ? `${what}被拒绝：${outcome.errMsg}` : `${what}结果未知（${outcome.reason}）：请先核对后再操作`;
    this.keep(operator, month, action, 'failed', why, null, rows);
    this.audit(operator, `clearing.${action}`, `${month} ${why}`, 'failed');
    throw new StationError(outcome.kind === 'rejected' ? 'CENTRE_REJECTED' : 'CENTRE_UNREACHABLE', why);
  }

  private keep(
    operator: OperatorView,
    month: string,
    action: ClearingAction,
    outcome: 'done' | 'failed',
    error: string | null,
    infRefmsgid: string | null,
    rows: ClearingRowView[],
  ): ClearingRunView {
    const at = this.d.now().toISOString();
    const confirmed = rows.filter((r) => r.confirmed && r.centre);
    const totals = {
      ...EMPTY_TOTALS,
      rows: rows.filter((r) => r.centre).length,
      confirmed: confirmed.length,
      medfeeFen: confirmed.reduce((n, r) => n + (r.centre?.medfeeFen ?? 0), 0),
      optinsFen: confirmed.reduce((n, r) => n + (r.centre?.optinsFen ?? 0), 0),
      differences: rows.filter((r) => r.status !== 'agree').length,
    };
    const { lastInsertRowid } = this.d.db
      .prepare(
        `INSERT INTO clearing_runs (month, at, operator_id, action, outcome, error, inf_refmsgid, totals_json, rows_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(month, at, operator.id, action, outcome, error, infRefmsgid, JSON.stringify(totals), JSON.stringify(rows));
    return { id: Number(lastInsertRowid), month, at, operatorId: operator.id, action, outcome, error, infRefmsgid, totals, rows };
  }

  private audit(operator: OperatorView, action: string, detail: string, outcome: 'ok' | 'failed' = 'ok'): void {
    this.d.audit.append({ operatorId: operator.id, action, outcome, detail }, this.d.now());
  }

  private eventsOf(month: string) {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    return this.d.ledger.eventsBetween(dayStartUtc(`${month}-01`, this.d.timeZone), dayStartUtc(next, this.d.timeZone));
  }
}

/** The month's runs kept, newest first (also for the command line, which reads without the centre). */
export function readClearingRuns(db: Db, month: string, limit = 50): ClearingRunView[] {
  const rows = db.prepare('SELECT * FROM clearing_runs WHERE month = ? ORDER BY id DESC LIMIT ?').all(month, limit) as Row[];
  return rows.map(view);
}

/** Whether a confirmation stands: the newest confirm or roll-back that went through decides. */
export function clearingState(runs: readonly ClearingRunView[]): 'confirmed' | 'unconfirmed' {
  const last = runs.find((r) => r.outcome === 'done' && r.action !== 'check');
  return last?.action === 'confirm' ? 'confirmed' : 'unconfirmed';
}

function view(r: Row): ClearingRunView {
  return {
    id: r.id,
    month: r.month,
    at: r.at,
    operatorId: r.operator_id,
    action: r.action,
    outcome: r.outcome,
    error: r.error,
    infRefmsgid: r.inf_refmsgid,
    totals: JSON.parse(r.totals_json) as ClearingRunView['totals'],
    rows: JSON.parse(r.rows_json) as ClearingRowView[],
  };
}
