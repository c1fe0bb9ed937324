/**
 * The first start after a restore: the restored database does not know the movements made after its backup,
 * but the centre does. The station asks the centre (3202, settlement by settlement, per clearing region, from
 * the backup's day to today) and lists every settlement the centre holds and this database lacks as an
 * escalated item in the admin outbox list — for a person to reconcile with HIS and the finance office. It never
 * settles, cancels or re-settles anything by itself: the patient may have paid and left.
 */
import { randomUUID } from 'node:crypto';
import type { Db, RestoreMarker, StationMetaRepo } from '../store';
import type { IntentsRepo } from '../outbox';
import { RESTORE_DISCREPANCY_KIND } from './restore-discrepancy';

/** What the check needs of the centre: its 3202 rows for a region and period, given the station's own lines. */
export interface CentreDetailsPort {
  compare(input: { region: string; fromDay: string; toDay: string; lines: readonly LocalSettlement[] }): Promise<CentreDetailRow[]>;
}

export interface LocalSettlement {
  setlId: string;
  mdtrtId: string;
  psnNo: string;
  totalFen: number;
  fundFen: number;
  accountFen: number;
}

export interface CentreDetailRow {
  setlId: string | null;
  mdtrtId: string | null;
  psnNo: string | null;
  /** The centre's own record of the settlement that the station's file lacks. */
  centreOnly: boolean;
  /** A refund/cancel entry rather than a settlement. */
  refund: boolean;
  medfeeFen: number | null;
}

export interface RestoreCheckDeps {
  db: Db;
  meta: StationMetaRepo;
  intents: IntentsRepo;
  centre: CentreDetailsPort;
  /** The institution's own region; the regions of the patients in the database are added. */
  homeRegion: string;
  localDay(at: Date): string;
  now(): Date;
}

export interface RestoreCheckResult {
  marker: RestoreMarker;
  regions: string[];
  listed: string[];
}

/** Runs once per restore (the marker's restoredAt); null when the database was not restored or is checked. */
export async function checkCentreAfterRestore(deps: RestoreCheckDeps): Promise<RestoreCheckResult | null> {
  const marker = deps.meta.pendingRestore();
  if (!marker) return null;
  const fromDay = deps.localDay(new Date(marker.takenAt));
  const toDay = deps.localDay(deps.now());
  const orders = deps.db
    .prepare(
      `SELECT setl_id, mdtrt_id, psn_no, insuplc_admdvs, total_fen, fund_fen, account_fen FROM outpatient_orders
       WHERE setl_id IS NOT NULL`,
    )
    .all() as {
    setl_id: string;
    mdtrt_id: string | null;
    psn_no: string;
    insuplc_admdvs: string;
    total_fen: number;
    fund_fen: number | null;
    account_fen: number | null;
  }[];
  const known = new Set(orders.map((o) => o.setl_id));
  const regions = [...new Set([deps.homeRegion, ...orders.map((o) => o.insuplc_admdvs)])].sort();
  const listed: string[] = [];
  for (const region of regions) {
    const lines = orders
      .filter((o) => o.insuplc_admdvs === region)
      .map((o) => ({
        setlId: o.setl_id,
        mdtrtId: o.mdtrt_id ?? '',
        psnNo: o.psn_no,
        totalFen: o.total_fen,
        fundFen: o.fund_fen ?? 0,
        accountFen: o.account_fen ?? 0,
      }));
    const rows = await deps.centre.compare({ region, fromDay, toDay, lines });
    for (const row of rows) {
      if (!row.centreOnly || row.refund || !row.setlId || known.has(row.setlId)) continue;
      if (listDiscrepancy(deps, marker, region, row)) listed.push(row.setlId);
      known.add(row.setlId);
    }
  }
  deps.meta.restoreChecked(marker, deps.now());
  return { marker, regions, listed };
}

/** One escalated intent per centre settlement; its external id (the setl_id) keeps a re-run from listing it twice. */
function listDiscrepancy(deps: RestoreCheckDeps, marker: RestoreMarker, region: string, row: CentreDetailRow): boolean {
  const setlId = row.setlId!;
  const externalId = `restore:${setlId}`;
  if (deps.db.prepare('SELECT 1 FROM intents WHERE external_id = ?').get(externalId)) return false;
  const id = randomUUID();
  const now = deps.now();
  const amount = row.medfeeFen === null ? '' : `，医疗费总额 ${(row.medfeeFen / 100).toFixed(2)} 元`;
  const detail =
    `恢复备份（${marker.file}）后核对：医保中心有结算 ${setlId}（就诊 ${row.mdtrtId ?? '—'}，参保区划 ${region}${amount}），` +
    '本机数据库没有这笔记录（发生在备份之后）。请与 HIS 及财务核对该患者的收费，切勿重新结算。';
  deps.db.transaction(() => {
    deps.intents.insert(
      { id, kind: RESTORE_DISCREPANCY_KIND, orderId: `centre:${row.mdtrtId ?? setlId}`, externalId, payload: { region, row, marker } },
      now,
    );
    deps.intents.transition(id, 'prepared', 'escalated', { detail }, 'station', now);
  })();
  return true;
}
