/**
 * The station's reconciliation runs (AQ-06): a Beijing day's ledger events through `reconcileDay` with the station's
 * NHSA gateway, each run kept (table `reconciliations`, differences sealed: they name person numbers), and once a day
 * after a configured hour an automatic run for yesterday from the station's sweep.
 */
import type { OperatorView } from '../../shared/domain';
import type { HisClient } from '../../insurance/his';
import type { PayChannelClient } from '../../insurance/pay-channel';
import type {
  ReconciliationRunView,
  ReconDifferenceView,
  ReconGroupView,
  HisMatchView,
  ReconRunOutcome,
  StatementMatchView,
} from '../../shared/reconciliation';
import { dayStartUtc, localDateTime, localDay } from '../clock';
import { EmbeddedLedger, type HospitalLedgerReader } from '../hospital-ledger';
import type { CentrePort } from '../ports';
import type { FieldCipher } from '../security';
import type { AuditRepo, Db } from '../store';
import { reconcileDay, type DayReconciliation } from './reconcile-day';
import { matchStatement } from './statement-match';
import { matchHisAccount } from './his-match';
import { writeReconciliationDifferences } from './reconciliation-export';
import { StationError } from '../../shared/result';
import { ClearingRuns } from './clearing-runs';

/** Who an automatic run is done as, at the centre and in the audit. */
export const AUTO_RECONCILER: OperatorView = { id: 'auto-recon', name: '自动对账', role: 'admin' };

export interface ReconciliationRunsDeps {
  db: Db;
  cipher: FieldCipher;
  audit: Pick<AuditRepo, 'append'>;
  gateway: CentrePort;
  ledger: HospitalLedgerReader;
  /** The payment platform whose daily statement is matched (DQ-07); null: none. */
  pay: Pick<PayChannelClient, 'statement'> | null;
  /** HIS, whose own account of the day is matched with the ledger's HIS bookings; absent or null: not asked. */
  his?: Pick<HisClient, 'dayAccount'> | null;
  now: () => Date;
  timeZone: string;
  /** the data dir's exports/ folder; none: exports are refused */
  exportsDir?: string | undefined;
  /** The local hour after which yesterday is reconciled automatically; null: never. */
  autoAfterHour: number | null;
  /** The treating region: with it the month's cross-region clearing (3260–3262) runs on the same ledger. */
  ownRegion?: string;
}

interface Row {
  id: number;
  day: string;
  at: string;
  operator_id: string;
  trigger: 'manual' | 'auto';
  outcome: ReconRunOutcome;
  error: string | null;
  events: number;
  groups_json: string;
  differences_sealed: string;
  statement_json: string | null;
  his_json: string | null;
}

const DAY_MS = 86_400_000;

export class ReconciliationRuns {
  private running: Promise<ReconciliationRunView> | null = null;
  /** The month's cross-region clearing; null without a treating region. */
  readonly clearing: ClearingRuns | null;

  constructor(private readonly d: ReconciliationRunsDeps) {
    this.clearing = d.ownRegion ? new ClearingRuns({ ...d, ownRegion: d.ownRegion }) : null;
  }

  /** Reconciles the day and keeps the run; a failed run is kept too (with why) and then thrown. One run at a time. */
  async run(operator: OperatorView, day: string, trigger: 'manual' | 'auto' = 'manual'): Promise<ReconciliationRunView> {
    while (this.running) await this.running.catch(() => undefined);
    const run = this.runOnce(operator, day, trigger);
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = null;
    }
  }

  list(filter: { day?: string | undefined; limit: number }): ReconciliationRunView[] {
    const rows = (
      filter.day
        ? this.d.db.prepare('SELECT * FROM reconciliations WHERE day = ? ORDER BY id DESC LIMIT ?').all(filter.day, filter.limit)
        : this.d.db.prepare('SELECT * FROM reconciliations ORDER BY id DESC LIMIT ?').all(filter.limit)
    ) as Row[];
    return rows.map((r) => this.view(r));
  }

  /** One kept run, or NOT_FOUND. */
  get(runId: number): ReconciliationRunView {
    const row = this.d.db.prepare('SELECT * FROM reconciliations WHERE id = ?').get(runId) as Row | undefined;
    if (!row) throw new StationError('NOT_FOUND', `没有编号为 ${runId} 的对账记录`);
    return this.view(row);
  }

  /** A run's differences (centre and platform) written to the exports folder; audited with the file. */
  async exportDifferences(operator: OperatorView, runId: number, format: 'csv' | 'xlsx'): Promise<{ file: string; rows: number }> {
    if (!this.d.exportsDir) throw new StationError('CONFLICT', '本工作站未配置导出目录');
    const row = this.d.db.prepare('SELECT * FROM reconciliations WHERE id = ?').get(runId) as Row | undefined;
    if (!row) throw new StationError('NOT_FOUND', `没有编号为 ${runId} 的对账记录`);
    const written = await writeReconciliationDifferences(this.view(row), format, this.d.exportsDir, {
      now: this.d.now(),
      timeZone: this.d.timeZone,
    });
    this.d.audit.append(
      {
        operatorId: operator.id,
        action: 'reconciliation.export',
        outcome: 'ok',
        detail: `${row.day} #${runId} ${written.rows} rows → ${written.file}`,
      },
      this.d.now(),
    );
    return written;
  }

  /** The sweep's turn: yesterday, once, after the configured hour. Returns the run it made, if any. */
  async autoRun(): Promise<ReconciliationRunView | null> {
    if (this.d.autoAfterHour === null) return null;
    const now = this.d.now();
    const hour = Number(localDateTime(now, this.d.timeZone).slice(11, 13));
    if (hour < this.d.autoAfterHour) return null;
    const today = localDay(now, this.d.timeZone);
    const yesterday = localDay(new Date(dayStartUtc(today, this.d.timeZone).getTime() - DAY_MS / 2), this.d.timeZone);
    // One automatic try a day: a failed one waits for tomorrow or an operator (no retry storm against the centre).
    const tried = this.d.db.prepare(`SELECT 1 FROM reconciliations WHERE day = ? AND trigger = 'auto' LIMIT 1`).get(yesterday) as unknown;
    if (tried) return null;
    try {
      return await this.run(AUTO_RECONCILER, yesterday, 'auto');
    } catch {
      return null; // kept as a failed run, with why
    }
  }

  private async runOnce(operator: OperatorView, day: string, trigger: 'manual' | 'auto'): Promise<ReconciliationRunView> {
    const start = dayStartUtc(day, this.d.timeZone);
    let events = 0;
    try {
      const ledgerEvents = await this.d.ledger.eventsBetween(start, new Date(start.getTime() + DAY_MS));
      events = ledgerEvents.length;
      const result = await reconcileDay({ gateway: this.d.gateway, operator }, ledgerEvents, day);
      const statement = await this.statementOf(day, ledgerEvents);
      const his = await this.hisOf(day, ledgerEvents);
      const balanced =
        result.groups.every((g) => g.balanced) &&
        result.differences.length === 0 &&
        (statement?.balanced ?? true) &&
        (his?.balanced ?? true);
      return this.keep(operator, day, trigger, balanced ? 'balanced' : 'unbalanced', null, events, result, statement, his);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.keep(operator, day, trigger, 'failed', why, events, { day, groups: [], differences: [] }, null, null);
      throw e;
    }
  }

  /** The platform's statement matched; a statement that cannot be had leaves the day unbalanced, with why. */
  private async statementOf(day: string, events: Parameters<typeof matchStatement>[0]): Promise<StatementMatchView | null> {
    if (!this.d.pay) return null;
    const answer = await this.d.pay.statement(day.replaceAll('-', ''));
    if (answer.kind === 'ok') return { ...matchStatement(events, answer.value), error: null };
    const why = answer.kind === 'rejected' ? `${answer.code} ${answer.message}` : `${answer.reason} ${answer.detail}`;
    return { balanced: false, error: `支付平台对账单未取得：${why}`, parts: [], differences: [] };
  }

  /** HIS's account matched; one that cannot be had leaves the day unbalanced, with why. */
  private async hisOf(day: string, events: Parameters<typeof matchHisAccount>[0]): Promise<HisMatchView | null> {
    if (!this.d.his) return null;
    const answer = await this.d.his.dayAccount(day);
    if (answer.kind === 'ok') return matchHisAccount(events, answer.value);
    const why = answer.kind === 'rejected' ? `${answer.code} ${answer.message}` : `${answer.reason} ${answer.detail}`;
    return { balanced: false, error: `HIS日对账未取得：${why}`, hisBookings: 0, ledgerBookings: 0, differences: [] };
  }

  private keep(
    operator: OperatorView,
    day: string,
    trigger: 'manual' | 'auto',
    outcome: ReconRunOutcome,
    error: string | null,
    events: number,
    result: DayReconciliation,
    statement: StatementMatchView | null,
    his: HisMatchView | null,
  ): ReconciliationRunView {
    const at = this.d.now().toISOString();
    const groups: ReconGroupView[] = result.groups.map((g) => ({ ...g.totals, balanced: g.balanced, centreSays: g.centreSays }));
    const differences: ReconDifferenceView[] = result.differences.map((x) => ({
      ...x,
      ledger: x.ledger.map((e) => ({
        stationId: e.stationId,
        orderId: e.orderId,
        psnNo: e.psnNo,
        medfeeFen: e.medfeeFen,
        fundFen: e.fundFen,
        refund: e.refund,
        at: e.at,
      })),
    }));
    const { lastInsertRowid } = this.d.db
      .prepare(
        `INSERT INTO reconciliations (day, at, operator_id, trigger, outcome, error, events, groups_json, differences_sealed, statement_json, his_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        day,
        at,
        operator.id,
        trigger,
        outcome,
        error,
        events,
        JSON.stringify(groups),
        this.d.cipher.sealJson(differences),
        statement ? JSON.stringify(statement) : null,
        his ? JSON.stringify(his) : null,
      );
    // A manual run is audited by the dispatcher; the sweep's own run is audited here.
    if (trigger === 'auto') {
      this.d.audit.append(
        { operatorId: operator.id, action: 'reconciliation.auto', outcome: error ? 'failed' : 'ok', detail: `${day} ${outcome}` },
        this.d.now(),
      );
    }
    return {
      id: Number(lastInsertRowid),
      day,
      at,
      operatorId: operator.id,
      trigger,
      outcome,
      error,
      events,
      groups,
      differences,
      statement,
      his,
    };
  }

  private view(r: Row): ReconciliationRunView {
    return {
      id: r.id,
      day: r.day,
      at: r.at,
      operatorId: r.operator_id,
      trigger: r.trigger,
      outcome: r.outcome,
      error: r.error,
      events: r.events,
      groups: JSON.parse(r.groups_json) as ReconGroupView[],
      differences: this.d.cipher.openJson<ReconDifferenceView[]>(r.differences_sealed),
      statement: r.statement_json === null ? null : (JSON.parse(r.statement_json) as StatementMatchView),
      his: r.his_json === null ? null : (JSON.parse(r.his_json) as HisMatchView),
    };
  }
}

/** The station's runs: its gateway and platform, the embedded ledger unless the hospital's is given, no automatic run unless set. */
export function stationReconciliation(
  base: Pick<ReconciliationRunsDeps, 'db' | 'cipher' | 'audit' | 'gateway' | 'pay' | 'now' | 'timeZone' | 'exportsDir'> & {
    info?: { treatmentRegion: string };
    /** The station's parts: HIS is the outpatient side's. */
    outpatient?: { his?: ReconciliationRunsDeps['his'] };
  },
  settings: { ledger?: HospitalLedgerReader; autoAfterHour?: number | null } = {},
): ReconciliationRuns {
  return new ReconciliationRuns({
    ...base,
    ...(base.info ? { ownRegion: base.info.treatmentRegion } : {}),
    his: base.outpatient?.his ?? null,
    ledger: settings.ledger ?? new EmbeddedLedger(base.db, base.now),
    autoAfterHour: settings.autoAfterHour ?? null,
  });
}
