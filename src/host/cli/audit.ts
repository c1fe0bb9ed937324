/**
 * `npm run station -- audit verify [--data-dir DIR]`
 *
 * Walks the audit trail's hash chain (migration 010) and names the first row that does not follow from the one
 * before — edited, inserted, or after a removed one. Exit code 0: intact; 4: broken.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, verifyAuditChain } from '../../station/store';
import type { CliArgs } from './args';

export const AUDIT_BROKEN_EXIT = 4;

export function runAuditCommand(args: CliArgs): void {
  const [command] = args.positional;
  if (command !== 'verify') args.usage();
  const file = path.join(args.dataDir, 'station.db');
  if (!fs.existsSync(file)) {
    console.error(`no station database in ${args.dataDir} (use --data-dir)`);
    process.exitCode = 1;
    return;
  }
  const db = openDatabase(file);
  try {
    const result = verifyAuditChain(db);
    if (result.ok) {
      console.log(`audit trail intact: ${result.rows} rows, head ${result.head}`);
      process.exitCode = 0;
    } else {
      console.log(`audit trail BROKEN at row ${result.brokenAt}: ${result.reason} (${result.rows - 1} rows before it verified)`);
      process.exitCode = AUDIT_BROKEN_EXIT;
    }
  } finally {
    db.close();
  }
}
