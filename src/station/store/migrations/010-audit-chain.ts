import type { Migration } from './migration';

/**
 * Issue 11 (go live): the audit trail cannot be edited. Every row carries `prev_hash` (the previous row's hash)
 * and `hash` = SM3 over that and the row's canonical fields (store/audit-chain.ts), so an edit or a removal made
 * around the triggers — a raw connection that drops them — breaks the chain at that row, and `audit verify` names
 * it. SM3 runs in the program, not in SQL: rows written before this migration are chained by the first open after
 * it (`chainPendingAudit`), the one update the triggers allow — filling a row's missing hash, nothing else.
 */
export const m010AuditChain: Migration = {
  version: 10,
  name: 'audit trail append-only and hash-chained',
  sql: `
    ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
    ALTER TABLE audit_log ADD COLUMN hash TEXT;

    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN
      SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted');
    END;

    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    WHEN NOT (
      OLD.hash IS NULL AND OLD.prev_hash IS NULL AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL
      AND NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.station_id IS OLD.station_id
      AND NEW.operator_id IS OLD.operator_id AND NEW.action IS OLD.action AND NEW.outcome IS OLD.outcome
      AND NEW.detail IS OLD.detail
    )
    BEGIN
      SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be changed');
    END;

    CREATE TRIGGER audit_log_chained_insert BEFORE INSERT ON audit_log
    WHEN NEW.hash IS NULL OR NEW.prev_hash IS NULL
    BEGIN
      SELECT RAISE(ABORT, 'audit_log rows are written with their chain hash');
    END;
  `,
};
