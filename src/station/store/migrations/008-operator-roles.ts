import type { Migration } from './migration';

/**
 * Issue 11 (go live): an operator may hold several roles (a cashier who also administers), and a password an
 * admin set must be changed at the next sign-in. `roles` is a comma-separated list of role codes, read through
 * zod in OperatorsRepo; `role` stays the first of them (the workspace a sign-in opens), so existing rows keep
 * working unchanged.
 */
export const m008OperatorRoles: Migration = {
  version: 8,
  name: 'operators: several roles, must change password',
  sql: `
    ALTER TABLE operators ADD COLUMN roles TEXT NOT NULL DEFAULT '';
    UPDATE operators SET roles = role;
    ALTER TABLE operators ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
  `,
};
