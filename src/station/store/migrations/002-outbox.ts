import type { Migration } from './migration';

/**
 * The outbox: one row per movement of money or insurance state, written in the same transaction as its
 * business row and before the call, carrying the ids the remote will see. Transitions are journalled.
 */
export const m002Outbox: Migration = {
  version: 2,
  name: 'outbox intents, their transitions and the admin queue',
  sql: `
    CREATE TABLE intents (
      id               TEXT PRIMARY KEY,            -- our business id for this movement
      kind             TEXT NOT NULL,               -- e.g. nhsa.2207, pay.micropay, his.confirm
      order_id         TEXT NOT NULL,               -- the business order it belongs to (one in doubt locks it)
      external_id      TEXT NOT NULL UNIQUE,        -- msgid / out_trade_no: fixed before the first attempt
      comp_external_id TEXT UNIQUE,                 -- the compensating call's own id, fixed before it is sent
      state            TEXT NOT NULL CHECK (state IN
                         ('prepared','succeeded','failed','unknown','compensating','compensated','escalated')),
      payload          TEXT NOT NULL,               -- sealed JSON: what is sent
      result           TEXT,                        -- sealed JSON: what came back
      attempts         INTEGER NOT NULL DEFAULT 0,  -- definite answers that did not resolve; lost answers do not count
      next_at          TEXT,                        -- when the resolver looks again
      detail           TEXT NOT NULL DEFAULT '',
      created_at       TEXT NOT NULL,
      updated_at       TEXT NOT NULL
    ) STRICT;
    CREATE INDEX intents_open ON intents(next_at)
      WHERE state IN ('prepared','unknown','compensating','escalated');
    CREATE INDEX intents_by_order ON intents(order_id);

    CREATE TABLE intent_transitions (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      intent_id   TEXT NOT NULL REFERENCES intents(id),
      at          TEXT NOT NULL,
      from_state  TEXT,
      to_state    TEXT NOT NULL,
      actor       TEXT NOT NULL,                    -- 'station', 'resolver' or an operator id
      detail      TEXT NOT NULL DEFAULT ''
    ) STRICT;
    CREATE INDEX intent_transitions_by_intent ON intent_transitions(intent_id);
  `,
};
