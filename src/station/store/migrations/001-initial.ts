import type { Migration } from './migration';

/** The skeleton: operators, audit, persons, insurance sessions and the call journal. */
export const m001Initial: Migration = {
  version: 1,
  name: 'operators, audit, persons, insurance sessions and the call journal',
  sql: `
    CREATE TABLE operators (
      id              TEXT PRIMARY KEY,             -- login; also the NHSA opter
      name            TEXT NOT NULL,
      role            TEXT NOT NULL CHECK (role IN ('cashier','doctor','nurse','admin')),
      password_hash   TEXT NOT NULL,                -- scrypt$N$r$p$salt$hash
      failed_attempts INTEGER NOT NULL DEFAULT 0,
      locked_until    TEXT,                         -- ISO time; NULL = not locked
      disabled        INTEGER NOT NULL DEFAULT 0,
      created_at      TEXT NOT NULL
    ) STRICT;

    CREATE TABLE audit_log (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      at          TEXT NOT NULL,
      station_id  TEXT NOT NULL,
      operator_id TEXT,
      action      TEXT NOT NULL,
      outcome     TEXT NOT NULL CHECK (outcome IN ('ok','denied','failed')),
      detail      TEXT NOT NULL DEFAULT ''
    ) STRICT;

    -- Insured persons as the centre last described them. Everything personal is sealed (SM4-CBC, key in the
    -- data dir, never in the renderer); certno_index is a keyed blind index (HMAC-SM3) for look-up by ID number.
    CREATE TABLE persons (
      psn_no       TEXT PRIMARY KEY,
      certno_index TEXT NOT NULL,
      sealed       TEXT NOT NULL,
      updated_at   TEXT NOT NULL
    ) STRICT;
    CREATE INDEX persons_by_certno ON persons(certno_index);

    -- One row per identification at this station (card, e-voucher, ID card, face): who, when, how, which 1101.
    CREATE TABLE identifications (
      id             TEXT PRIMARY KEY,
      at             TEXT NOT NULL,
      operator_id    TEXT NOT NULL REFERENCES operators(id),
      method         TEXT NOT NULL CHECK (method IN ('e-voucher','idcard','sscard','face')),
      cert_type      TEXT NOT NULL,
      psn_no         TEXT NOT NULL REFERENCES persons(psn_no),
      insuplc_admdvs TEXT NOT NULL,
      msgid          TEXT NOT NULL
    ) STRICT;

    -- 9001 sign-in per operator per (local) day; the sign_no goes into every later envelope.
    CREATE TABLE nhsa_sign_ins (
      operator_id   TEXT NOT NULL,
      day           TEXT NOT NULL,
      sign_no       TEXT NOT NULL,
      sign_time     TEXT NOT NULL,
      signed_out_at TEXT,
      PRIMARY KEY (operator_id, day)
    ) STRICT;

    -- The last msgid issued, so msgids stay unique across restarts and clock steps back.
    CREATE TABLE msgid_sequence (
      id     INTEGER PRIMARY KEY CHECK (id = 1),
      second TEXT NOT NULL,
      seq    INTEGER NOT NULL
    ) STRICT;

    -- Every message sent to the centre, written before it leaves (state 'sending') and closed with its answer.
    -- 'unknown' rows are what the outbox resolves (query, 2601 reversal by omsgid, or confirm).
    CREATE TABLE nhsa_calls (
      msgid        TEXT PRIMARY KEY,
      infno        TEXT NOT NULL,
      operator_id  TEXT,
      psn_no       TEXT,
      state        TEXT NOT NULL CHECK (state IN ('sending','ok','rejected','unknown')),
      created_at   TEXT NOT NULL,
      answered_at  TEXT,
      inf_refmsgid TEXT,
      detail       TEXT
    ) STRICT;
    CREATE INDEX nhsa_calls_open ON nhsa_calls(state) WHERE state IN ('sending','unknown');
  `,
};
