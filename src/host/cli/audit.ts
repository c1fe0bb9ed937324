/**
 * `npm run station -- audit verify [--data-dir DIR]`
 *
 * Walks the audit trail's hash chain (migration 010) and names the first row that does not follow from the one
 * before — edited, inserted, or after a removed one — then holds it against the head each backup saw: a trail
 * cut short (the newest rows removed) still chains, but no longer holds a row a backup recorded. Backups of a
 * database replaced by a restore are skipped (their rows were never in this one). Exit code 0: intact; 4: broken.
 */
import { auditHeadOfFile, checkAuditAnchor, listBackups, StationMetaRepo, verifyAuditChain, type Db } from '../../station/store';
import { backupSettingsForDir } from './backup';
import { openStationDb } from './station-db';
import type { CliArgs } from './args';

export const AUDIT_BROKEN_EXIT = 4;

export function runAuditCommand(args: CliArgs): void {
  const [command] = args.positional;
  if (command !== 'verify') args.usage();
  const station = openStationDb(args.dataDir);
  if (!station) return;
  const { db } = station;
  try {
    const result = verifyAuditChain(db);
    const cutShort = result.ok ? anchorProblems(db, args.dataDir) : [];
    if (result.ok && cutShort.length === 0) {
      console.log(`audit trail intact: ${result.rows} rows, head ${result.head}`);
      process.exitCode = 0;
    } else if (result.ok) {
      console.log(`audit trail BROKEN: ${result.rows} rows chain, but ${cutShort.length} backup(s) saw more or other rows`);
      for (const p of cutShort) console.log(`  ${p}`);
      process.exitCode = AUDIT_BROKEN_EXIT;
    } else {
      console.log(`audit trail BROKEN at row ${result.brokenAt}: ${result.reason} (${result.rows - 1} rows before it verified)`);
      process.exitCode = AUDIT_BROKEN_EXIT;
    }
  } finally {
    db.close();
  }
}

/** Every backup's head against the live trail; backups taken between a restored backup and its restore are skipped. */
function anchorProblems(db: Db, dataDir: string): string[] {
  const marker = new StationMetaRepo(db).restoreMarker();
  const problems: string[] = [];
  for (const b of listBackups(backupSettingsForDir(dataDir).dir)) {
    if (marker && b.takenAt > new Date(marker.takenAt) && b.takenAt < new Date(marker.restoredAt)) continue;
    const head = auditHeadOfFile(b.file);
    const problem = head && checkAuditAnchor(db, { source: b.name, ...head });
    if (problem) problems.push(problem);
  }
  return problems;
}
