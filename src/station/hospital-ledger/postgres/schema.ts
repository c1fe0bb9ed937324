/**
 * The hospital ledger's schema on PostgreSQL, as `ledger init` creates it (idempotent: run again after an upgrade).
 *
 * Roles (NOLOGIN groups; people and stations log in as members):
 *  - yibao_owner   owns schema `yibao`, runs `ledger init` (migrations).
 *  - yibao_station may only EXECUTE `yibao.append_events`: no privilege on any table, so it can neither read, update
 *    nor delete; the function (SECURITY DEFINER) writes only events whose stationId is the one mapped to the caller's
 *    login in `yibao.station_logins` — a station cannot write another's events.
 *  - yibao_office  SELECT on the events (reconciliation, statements, the office screen).
 * `station_events` is insert-only for everyone, the owner included: triggers refuse UPDATE, DELETE and TRUNCATE.
 *
 * Deliberately plain for the PostgreSQL-compatible servers hospitals run for 信创: roles and GRANT, PL/pgSQL,
 * SECURITY DEFINER, jsonb, bigserial, INSERT … SELECT … WHERE NOT EXISTS, row and statement triggers — no row-level
 * security policies, no ON CONFLICT, no extensions, no partitioning. The office's lists read projection tables
 * (`list_payments`) an AFTER INSERT row trigger keeps from the events: the events stay the only thing written. Checked on PostgreSQL 15 only (see docs/architecture.md).
 */
import { LIST_PATIENTS_SQL } from './list-patients-sql';
import { LIST_REFUNDS_SQL } from './list-refunds-sql';
import { LIST_REGISTRATIONS_SQL } from './list-registrations-sql';

/**
 * 2: the office's list projections (`list_payments`), kept by a trigger on the events and backfilled by init.
 * 3: `list_registrations` (list-registrations-sql.ts), the same way.
 * 4: `list_refunds` (list-refunds-sql.ts), grouped by the refund the events name.
 * 5: the patient's blind lookup tokens on the three lists (list-patients-sql.ts), for the office's patient search.
 * 6: 医保移动支付 on the lists: a phone's self-pay part (channel `mobile`, mode `mobile`) on the payments list, its
 *    6203 on the refunds list; rows a v5 server projected of such events before are put right.
 */
export const LEDGER_SCHEMA_VERSION = 6;

/** The channels the lists name (shared/ledger.ts PAY_CHANNELS); others (nhsa, his, an unknown wallet) are none. */
const LIST_CHANNELS = `('wechat', 'alipay', 'cash', 'card', 'mobile')`;
/** A payment's mode: the phone's mobile payment (its 6202, or the 6301 of one paid in the NHSA app), a QR on the screen, else the payment code. */
const modeOf = (e: string) =>
  `CASE WHEN ${e}.channel = 'mobile' THEN 'mobile' WHEN ${e}.movement = 'pay.qr' THEN 'precreate' ELSE 'micropay' END`;

/** Creates the three group roles if missing (needs CREATEROLE; `ledger init` runs as the server's superuser). */
export const ROLES_SQL = `
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yibao_owner') THEN CREATE ROLE yibao_owner NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yibao_station') THEN CREATE ROLE yibao_station NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yibao_office') THEN CREATE ROLE yibao_office NOLOGIN; END IF;
END
$$;
CREATE SCHEMA IF NOT EXISTS yibao AUTHORIZATION yibao_owner;
REVOKE ALL ON SCHEMA yibao FROM PUBLIC;
`;

/** The tables and the write function, created as yibao_owner (the caller has SET ROLE yibao_owner). */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS yibao.meta (key varchar(40) PRIMARY KEY, value varchar(200) NOT NULL);

CREATE TABLE IF NOT EXISTS yibao.station_logins (
  login varchar(63) PRIMARY KEY,
  station_id varchar(32) NOT NULL
);

CREATE TABLE IF NOT EXISTS yibao.station_events (
  id bigserial PRIMARY KEY,
  station_id varchar(32) NOT NULL,
  event_id varchar(64) NOT NULL,
  station_seq bigint NOT NULL,
  schema_version smallint NOT NULL,
  kind varchar(40) NOT NULL,
  movement varchar(40) NOT NULL,
  outcome varchar(16) NOT NULL,
  order_id varchar(64) NOT NULL,
  his_order_no varchar(64),
  operator_id varchar(64),
  channel varchar(16) NOT NULL,
  at timestamptz NOT NULL,
  total_fen bigint,
  fund_fen bigint,
  pool_fen bigint,
  account_fen bigint,
  cash_fen bigint,
  setl_id varchar(64),
  out_trade_no varchar(64),
  body jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT station_events_key UNIQUE (station_id, event_id)
);
CREATE INDEX IF NOT EXISTS station_events_by_at ON yibao.station_events (at);
CREATE INDEX IF NOT EXISTS station_events_by_station_seq ON yibao.station_events (station_id, station_seq);

CREATE OR REPLACE FUNCTION yibao.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'yibao.station_events is insert-only' USING ERRCODE = '42501';
END
$$;
DROP TRIGGER IF EXISTS station_events_insert_only ON yibao.station_events;
CREATE TRIGGER station_events_insert_only BEFORE UPDATE OR DELETE ON yibao.station_events
  FOR EACH ROW EXECUTE PROCEDURE yibao.refuse_change();
DROP TRIGGER IF EXISTS station_events_no_truncate ON yibao.station_events;
CREATE TRIGGER station_events_no_truncate BEFORE TRUNCATE ON yibao.station_events
  FOR EACH STATEMENT EXECUTE PROCEDURE yibao.refuse_change();

CREATE OR REPLACE FUNCTION yibao.append_events(events jsonb) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  me varchar(32);
  other text;
  added integer;
BEGIN
  SELECT l.station_id INTO me FROM yibao.station_logins l WHERE l.login = session_user;
  IF me IS NULL THEN
    RAISE EXCEPTION 'login % is not a station of this ledger', session_user USING ERRCODE = '42501';
  END IF;
  SELECT a.e->>'stationId' INTO other FROM jsonb_array_elements(events) AS a(e) WHERE (a.e->>'stationId') IS DISTINCT FROM me LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'station % may not write events of station %', me, other USING ERRCODE = '42501';
  END IF;
  -- One statement for the batch (a row-by-row loop cost most of the ingest: bench/ledger.ts), in the batch's order.
  -- NOT EXISTS rather than ON CONFLICT (openGauss spells that differently): one shipper per station (its data dir
  -- lock), so two inserts of one event cannot race; if they ever did, the unique key fails the batch and the retry
  -- skips what is there. A batch holds each event once (the station's outbox table is keyed by it).
  INSERT INTO yibao.station_events (station_id, event_id, station_seq, schema_version, kind, movement, outcome,
    order_id, his_order_no, operator_id, channel, at, total_fen, fund_fen, pool_fen, account_fen, cash_fen,
    setl_id, out_trade_no, body)
  SELECT me, a.e->>'eventId', (a.e->>'seq')::bigint, (a.e->>'v')::smallint, a.e->>'kind', a.e->>'movement', a.e->>'outcome',
    a.e->>'orderId', a.e->>'hisOrderNo', a.e->>'operatorId', a.e->>'channel', (a.e->>'at')::timestamptz,
    (a.e->'amounts'->>'total')::bigint, (a.e->'amounts'->>'fund')::bigint, (a.e->'amounts'->>'pool')::bigint,
    (a.e->'amounts'->>'account')::bigint, (a.e->'amounts'->>'cash')::bigint,
    a.e->'ids'->>'setlId', a.e->'ids'->>'outTradeNo', a.e
  FROM jsonb_array_elements(events) WITH ORDINALITY AS a(e, n)
  WHERE NOT EXISTS (SELECT 1 FROM yibao.station_events x WHERE x.station_id = me AND x.event_id = a.e->>'eventId')
  ORDER BY a.n;
  GET DIAGNOSTICS added = ROW_COUNT;
  RETURN added;
END
$$;

-- The office's payments list (issue 13 item 7): one row per payment event, its state moved by a later reversal or
-- refund of the same trade; the indexes serve the filter bar (a day range, then station, operator or channel) and
-- the sorts (time, amount), each ending in id so pages are stable.
CREATE TABLE IF NOT EXISTS yibao.list_payments (
  id bigint PRIMARY KEY,
  station_id varchar(32) NOT NULL,
  event_id varchar(64) NOT NULL,
  order_id varchar(64) NOT NULL,
  his_order_no varchar(64),
  operator_id varchar(64),
  channel varchar(16),
  mode varchar(16) NOT NULL,
  amount_fen bigint NOT NULL,
  state varchar(16) NOT NULL,
  out_trade_no varchar(64),
  transaction_id varchar(64),
  at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS list_payments_by_at ON yibao.list_payments (at, id);
-- state last: a state filter and the pager's capped count are answered from the index alone
CREATE INDEX IF NOT EXISTS list_payments_by_station ON yibao.list_payments (station_id, at, id, state);
CREATE INDEX IF NOT EXISTS list_payments_by_operator ON yibao.list_payments (operator_id, at, id, state);
CREATE INDEX IF NOT EXISTS list_payments_by_channel ON yibao.list_payments (channel, at, id, state);
CREATE INDEX IF NOT EXISTS list_payments_by_amount ON yibao.list_payments (amount_fen, id);
CREATE INDEX IF NOT EXISTS list_payments_by_trade ON yibao.list_payments (station_id, out_trade_no);

CREATE OR REPLACE FUNCTION yibao.project_list_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind IN ('payment', 'payment-reversed') THEN
    INSERT INTO yibao.list_payments (id, station_id, event_id, order_id, his_order_no, operator_id, channel, mode,
      amount_fen, state, out_trade_no, transaction_id, at, updated_at)
    SELECT NEW.id, NEW.station_id, NEW.event_id, NEW.order_id, NEW.his_order_no, NEW.operator_id,
      CASE WHEN NEW.channel IN ${LIST_CHANNELS} THEN NEW.channel END,
      ${modeOf('NEW')},
      COALESCE(NEW.cash_fen, 0), CASE WHEN NEW.kind = 'payment' THEN 'paid' ELSE 'reversed' END,
      NEW.out_trade_no, NEW.body->'ids'->>'transactionId', NEW.at, NEW.at
    WHERE NOT EXISTS (SELECT 1 FROM yibao.list_payments p WHERE p.id = NEW.id);
  ELSIF NEW.kind = 'refund-payment' AND NEW.out_trade_no IS NOT NULL THEN
    UPDATE yibao.list_payments SET state = 'refunded', updated_at = NEW.at
      WHERE station_id = NEW.station_id AND out_trade_no = NEW.out_trade_no AND state = 'paid';
  END IF;
  RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS station_events_project ON yibao.station_events;
CREATE TRIGGER station_events_project AFTER INSERT ON yibao.station_events
  FOR EACH ROW EXECUTE PROCEDURE yibao.project_list_rows();

-- Events stored before the projection existed (schema 1): projected once, in their order; a rerun adds nothing.
INSERT INTO yibao.list_payments (id, station_id, event_id, order_id, his_order_no, operator_id, channel, mode,
  amount_fen, state, out_trade_no, transaction_id, at, updated_at)
SELECT e.id, e.station_id, e.event_id, e.order_id, e.his_order_no, e.operator_id,
  CASE WHEN e.channel IN ${LIST_CHANNELS} THEN e.channel END,
  ${modeOf('e')},
  COALESCE(e.cash_fen, 0), CASE WHEN e.kind = 'payment' THEN 'paid' ELSE 'reversed' END,
  e.out_trade_no, e.body->'ids'->>'transactionId', e.at, e.at
FROM yibao.station_events e
WHERE e.kind IN ('payment', 'payment-reversed') AND NOT EXISTS (SELECT 1 FROM yibao.list_payments p WHERE p.id = e.id);
UPDATE yibao.list_payments p SET state = 'refunded', updated_at = r.at
  FROM yibao.station_events r
  WHERE r.kind = 'refund-payment' AND r.station_id = p.station_id AND r.out_trade_no = p.out_trade_no AND p.state = 'paid';
-- v6: a phone's payment a v5 server stored (no channel, mode micropay) named as 医保移动支付; a rerun finds none.
UPDATE yibao.list_payments p SET channel = 'mobile', mode = 'mobile'
  FROM yibao.station_events e
  WHERE e.id = p.id AND e.movement = 'mobile.6202' AND e.channel = 'mobile' AND p.channel IS NULL;

REVOKE ALL ON ALL TABLES IN SCHEMA yibao FROM PUBLIC;
REVOKE ALL ON FUNCTION yibao.append_events(jsonb) FROM PUBLIC;
GRANT USAGE ON SCHEMA yibao TO yibao_station, yibao_office;
GRANT EXECUTE ON FUNCTION yibao.append_events(jsonb) TO yibao_station;
GRANT SELECT ON yibao.station_events, yibao.list_payments TO yibao_office;
${LIST_REGISTRATIONS_SQL}
${LIST_REFUNDS_SQL}
${LIST_PATIENTS_SQL}

UPDATE yibao.meta SET value = '${LEDGER_SCHEMA_VERSION}' WHERE key = 'schema_version';
INSERT INTO yibao.meta (key, value) SELECT 'schema_version', '${LEDGER_SCHEMA_VERSION}'
  WHERE NOT EXISTS (SELECT 1 FROM yibao.meta WHERE key = 'schema_version');
`;
