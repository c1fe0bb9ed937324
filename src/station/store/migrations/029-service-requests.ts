import type { Migration } from './migration';

/**
 * Issue 16 item 1: the settlement service's own records. `service_nonces`: each signed request's nonce per app,
 * kept for the replay window (a replay after a restart is still refused). `service_idempotency`: the answer given
 * to an app's Idempotency-Key, with a hash of the request it answered (the same key with another body is refused).
 * `service_subscriptions`: the phones that asked for a stay's messages; `service_messages`: the patient messages
 * to send (HM-13/14), an outbox of their own: each msg_id once, each purpose once per phone (dedupe_key).
 */
export const m029ServiceRequests: Migration = {
  version: 29,
  name: 'settlement service: nonces, idempotency keys, message subscriptions and outbox',
  sql: `
    CREATE TABLE service_nonces (
      app_id  TEXT NOT NULL,
      nonce   TEXT NOT NULL,
      seen_at INTEGER NOT NULL,
      PRIMARY KEY (app_id, nonce)
    ) WITHOUT ROWID;
    CREATE INDEX service_nonces_by_age ON service_nonces (seen_at);
    CREATE TABLE service_idempotency (
      app_id        TEXT NOT NULL,
      key           TEXT NOT NULL,
      request_hash  TEXT NOT NULL,
      state         TEXT NOT NULL CHECK (state IN ('running', 'done')),
      status        INTEGER,
      response_json TEXT,
      created_at    INTEGER NOT NULL,
      PRIMARY KEY (app_id, key)
    ) WITHOUT ROWID;
    CREATE TABLE service_subscriptions (
      ipt_no     TEXT NOT NULL,
      to_user    TEXT NOT NULL,
      wallet     TEXT NOT NULL CHECK (wallet IN ('wechat', 'alipay')),
      app_id     TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (ipt_no, to_user)
    ) WITHOUT ROWID;
    CREATE TABLE service_messages (
      msg_id      TEXT PRIMARY KEY,
      dedupe_key  TEXT NOT NULL UNIQUE,
      stay_iptno  TEXT NOT NULL,
      template    TEXT NOT NULL,
      message_json TEXT NOT NULL,
      state       TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
      attempts    INTEGER NOT NULL DEFAULT 0,
      detail      TEXT,
      created_at  INTEGER NOT NULL,
      sent_at     INTEGER
    );
    CREATE INDEX service_messages_pending ON service_messages (state, created_at);
  `,
};
