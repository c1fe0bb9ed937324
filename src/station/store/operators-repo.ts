import { z } from 'zod';
import { Role, type OperatorAdminView, type SignedInOperator } from '../../shared/domain';
import type { Db } from './database';

export interface OperatorRow {
  id: string;
  name: string;
  role: Role;
  /** comma-separated role codes (migration 008); read through `rolesOf` */
  roles: string;
  password_hash: string;
  failed_attempts: number;
  locked_until: string | null;
  disabled: number;
  must_change_password: number;
}

const RoleList = z.array(Role).min(1);

/** A row's roles; rows from before migration 008 hold their single `role`. */
export function rolesOf(row: Pick<OperatorRow, 'role' | 'roles'>): Role[] {
  return RoleList.parse(row.roles ? row.roles.split(',') : [row.role]);
}

export function operatorView(row: OperatorRow): SignedInOperator {
  const roles = rolesOf(row);
  return { id: row.id, name: row.name, role: roles[0]!, roles, mustChangePassword: row.must_change_password === 1 };
}

/** The outcome of reserving a sign-in attempt before the password is verified. */
export type AttemptReservation = { granted: true; attempts: number; locksNow: boolean } | { granted: false; lockedUntil: string };

export class OperatorsRepo {
  constructor(private readonly db: Db) {}

  find(id: string): OperatorRow | undefined {
    return this.db.prepare('SELECT * FROM operators WHERE id = ?').get(id) as OperatorRow | undefined;
  }

  /** The operator as the rest of the core names one; undefined: no such operator. */
  view(id: string): SignedInOperator | undefined {
    const row = this.find(id);
    return row ? operatorView(row) : undefined;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM operators').get() as { n: number }).n;
  }

  /** Operators other than `exceptId` (the self-service operator, which every station inserts for itself). */
  countExcept(exceptId: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM operators WHERE id <> ?').get(exceptId) as { n: number }).n;
  }

  insert(op: { id: string; name: string; roles: readonly Role[]; passwordHash: string; mustChangePassword?: boolean }, now: Date): void {
    const roles = RoleList.parse([...new Set(op.roles)]);
    this.db
      .prepare(
        `INSERT INTO operators (id, name, role, roles, password_hash, must_change_password, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(op.id, op.name, roles[0], roles.join(','), op.passwordHash, op.mustChangePassword ? 1 : 0, now.toISOString());
  }

  /** Every operator with its state, for the admin screen and the IT command line. */
  listForAdmin(exceptId: string): OperatorAdminView[] {
    const rows = this.db.prepare('SELECT * FROM operators WHERE id <> ? ORDER BY id').all(exceptId) as OperatorRow[];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      roles: rolesOf(row),
      disabled: row.disabled === 1,
      lockedUntil: row.locked_until,
      mustChangePassword: row.must_change_password === 1,
    }));
  }

  /**
   * Counts a sign-in attempt before its password is verified, in one statement, so parallel attempts cannot
   * all pass a "not locked" check: the attempt that reaches `maxAttempts` sets the lock, later ones are refused
   * without a verify. A lock that has run out starts the count again. A correct password resets it.
   */
  reserveAttempt(id: string, maxAttempts: number, lockUntil: Date, now: Date): AttemptReservation {
    const nowIso = now.toISOString();
    const row = this.db
      .prepare(
        `UPDATE operators SET
           failed_attempts = CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_attempts + 1 END,
           locked_until = CASE WHEN (CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_attempts + 1 END) >= ?
                          THEN ? ELSE NULL END
         WHERE id = ? AND (locked_until IS NULL OR locked_until <= ?)
         RETURNING failed_attempts AS attempts, locked_until AS lockedUntil`,
      )
      .get(maxAttempts, lockUntil.toISOString(), id, nowIso) as { attempts: number; lockedUntil: string | null } | undefined;
    if (row) return { granted: true, attempts: row.attempts, locksNow: row.lockedUntil !== null };
    const current = this.db.prepare('SELECT locked_until FROM operators WHERE id = ?').get(id) as
      { locked_until: string | null } | undefined;
    return { granted: false, lockedUntil: current?.locked_until ?? nowIso };
  }

  recordSuccess(id: string): void {
    this.db.prepare('UPDATE operators SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(id);
  }

  setPassword(id: string, passwordHash: string, mustChange: boolean): void {
    this.db
      .prepare('UPDATE operators SET password_hash = ?, must_change_password = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?')
      .run(passwordHash, mustChange ? 1 : 0, id);
  }

  unlock(id: string): void {
    this.recordSuccess(id);
  }

  setDisabled(id: string, disabled: boolean): void {
    this.db.prepare('UPDATE operators SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
  }

  setRoles(id: string, roles: readonly Role[]): void {
    const list = RoleList.parse([...new Set(roles)]);
    this.db.prepare('UPDATE operators SET role = ?, roles = ? WHERE id = ?').run(list[0], list.join(','), id);
  }

  /** Enabled operators holding `role` other than `exceptId` (the last administrator may not be disabled). */
  countEnabledWithRole(role: Role, exceptId: string): number {
    const rows = this.db.prepare('SELECT role, roles FROM operators WHERE disabled = 0 AND id <> ?').all(exceptId) as Pick<
      OperatorRow,
      'role' | 'roles'
    >[];
    return rows.filter((r) => rolesOf(r).includes(role)).length;
  }
}
