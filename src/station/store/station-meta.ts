/**
 * The database's own facts (migration 009): which mode it belongs to and whether it came back from a backup.
 * A live start must never write into a training database (or the reverse): the refusal names both folders'
 * purpose in Chinese because IT reads it on the cashier's screen or the service log.
 */
import type { Db } from './database';

export type StationMode = 'live' | 'training';

export interface RestoreMarker {
  /** The backup file the database came from. */
  file: string;
  /** When that backup was taken: movements after it are not in this database. */
  takenAt: string;
  restoredAt: string;
}

const MODE_LABEL: Record<StationMode, string> = { live: '正式', training: '培训' };

export class StationMetaRepo {
  constructor(private readonly db: Db) {}

  get(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM station_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  set(key: string, value: string, now: Date): void {
    this.db
      .prepare(
        'INSERT INTO station_meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      )
      .run(key, value, now.toISOString());
  }

  delete(key: string): void {
    this.db.prepare('DELETE FROM station_meta WHERE key = ?').run(key);
  }

  restoreMarker(): RestoreMarker | null {
    const raw = this.get('restored_from');
    return raw ? (JSON.parse(raw) as RestoreMarker) : null;
  }

  /** The restore whose centre check has not run to its end yet (null: none, or done). */
  pendingRestore(): RestoreMarker | null {
    const marker = this.restoreMarker();
    return marker && this.get('restore_checked') !== marker.restoredAt ? marker : null;
  }

  restoreChecked(marker: RestoreMarker, now: Date): void {
    this.set('restore_checked', marker.restoredAt, now);
  }

  /**
   * Binds the database to a mode, or refuses. An unmarked database (created before 009) is judged by its
   * operators: the training accounts mean training rows; any other account means a hospital's.
   */
  claimMode(mode: StationMode, trainingOperatorIds: readonly string[], now: Date): void {
    const recorded = this.get('mode') as StationMode | undefined;
    if (recorded && recorded !== mode) throw new Error(modeRefusal(recorded, mode));
    if (!recorded) {
      const ids = (this.db.prepare('SELECT id FROM operators').all() as { id: string }[]).map((r) => r.id);
      const training = new Set(trainingOperatorIds);
      if (mode === 'live' && ids.some((id) => training.has(id))) throw new Error(modeRefusal('training', mode));
      if (mode === 'training' && ids.some((id) => !training.has(id))) throw new Error(modeRefusal('live', mode));
      this.set('mode', mode, now);
    }
  }
}

function modeRefusal(holds: StationMode, wanted: StationMode): string {
  return (
    `该数据目录的数据库属于${MODE_LABEL[holds]}模式，不能以${MODE_LABEL[wanted]}模式启动。` +
    `培训数据与正式数据必须分开存放：请换用${MODE_LABEL[wanted]}模式自己的数据目录（培训模式在正式数据目录下的 training 子目录）。`
  );
}

/**
 * Tables that never hold a value sealed with the data key: operator accounts (scrypt hashes), the audit trail,
 * the centre sign-ins and the msgid counter, the schema's own bookkeeping. A database with rows only there (IT
 * added operators before the first start) may still get a new key; any other table counts, so a table added
 * later is protected until it is listed here.
 */
const TABLES_WITHOUT_SEALED_VALUES = new Set(['station_meta', 'operators', 'audit_log', 'nhsa_sign_ins', 'msgid_sequence']);

/** True when a table that may hold values sealed with the data key has a row: a new key could not open them. */
export function holdsSealedRows(db: Db): boolean {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  return tables
    .filter((t) => !TABLES_WITHOUT_SEALED_VALUES.has(t.name))
    .some((t) => db.prepare(`SELECT 1 FROM "${t.name.replaceAll('"', '""')}" LIMIT 1`).get() !== undefined);
}
