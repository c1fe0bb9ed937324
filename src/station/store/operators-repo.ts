import type { Role, OperatorView } from '../../shared/domain';
import type { Db } from './database';

export interface OperatorRow {
  id: string;
  name: string;
  role: Role;
  password_hash: string;
  failed_attempts: number;
  locked_until: string | null;
  disabled: number;
}

export class OperatorsRepo {
  constructor(private readonly db: Db) {}

  find(id: string): OperatorRow | undefined {
    return this.db.prepare('SELECT * FROM operators WHERE id = ?').get(id) as OperatorRow | undefined;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM operators').get() as { n: number }).n;
  }

  insert(op: { id: string; name: string; role: Role; passwordHash: string }, now: Date): void {
    this.db
      .prepare('INSERT INTO operators (id, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(op.id, op.name, op.role, op.passwordHash, now.toISOString());
  }

  list(): OperatorView[] {
    return this.db.prepare('SELECT id, name, role FROM operators WHERE disabled = 0 ORDER BY role, id').all() as OperatorView[];
  }

  recordFailure(id: string, lockAfter: number, lockUntil: Date): { attempts: number; locked: boolean } {
    const row = this.db
      .prepare(
        `UPDATE operators SET failed_attempts = failed_attempts + 1,
           locked_until = CASE WHEN failed_attempts + 1 >= ? THEN ? ELSE locked_until END
         WHERE id = ? RETURNING failed_attempts AS attempts, locked_until`,
      )
      .get(lockAfter, lockUntil.toISOString(), id) as { attempts: number; locked_until: string | null } | undefined;
    return { attempts: row?.attempts ?? 0, locked: row?.locked_until != null };
  }

  recordSuccess(id: string): void {
    this.db.prepare('UPDATE operators SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(id);
  }
}
