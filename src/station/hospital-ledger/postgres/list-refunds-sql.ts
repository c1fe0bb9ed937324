/**
 * Ledger schema v4: the office's refunds list (退费, issue 13 item 7) as a projection of the events. One row per
 * station 退费, its money steps grouped by the refund they name: `ids.stationRefundId` on events of new stations;
 * on older ones `ids.refundId`, which every step but a wallet's money back already set to the station's refund (a
 * wallet's older step is put on its order's latest refund). What went back, by leg, is the steps' sum, signed back
 * to positive: fund and account from 2208 and a partial refund's resettlement, cash from the money back. A refund
 * shows from its first money step (the HIS application moves none) and is 已退费 once HIS confirmed it.
 * v6: a phone's refund (医保移动支付) is one step, 6203, published as two events under the refund's serial — the
 * insurance shares back (channel nhsa) and the wallet's part (channel mobile) — and is 已退费 with it: the money is
 * back; HIS's cancel of its booking is the booking's business, not the refund's.
 * Run inside SCHEMA_SQL as yibao_owner; idempotent.
 */
const STEPS = `('nhsa.2208-refund', 'nhsa.2207-refund', 'pay.refund', 'cash.refund', 'pos.refund', 'his.refund-confirm', 'mobile.6203')`;
/** The steps after which the money is back and HIS knows: the refund is done. */
const FINAL_STEPS = `('his.refund-confirm', 'mobile.6203')`;

export const LIST_REFUNDS_SQL = `
CREATE TABLE IF NOT EXISTS yibao.list_refunds (
  id bigint PRIMARY KEY,
  station_id varchar(32) NOT NULL,
  refund_id varchar(64) NOT NULL,
  order_id varchar(64) NOT NULL,
  his_order_no varchar(64),
  operator_id varchar(64),
  state varchar(16) NOT NULL,
  fund_fen bigint NOT NULL,
  account_fen bigint NOT NULL,
  cash_fen bigint NOT NULL,
  amount_fen bigint NOT NULL,
  channel varchar(16),
  at timestamptz NOT NULL,
  finished_at timestamptz,
  CONSTRAINT list_refunds_key UNIQUE (station_id, refund_id)
);
CREATE INDEX IF NOT EXISTS list_refunds_by_at ON yibao.list_refunds (at, id);
CREATE INDEX IF NOT EXISTS list_refunds_by_station ON yibao.list_refunds (station_id, at, id, state);
CREATE INDEX IF NOT EXISTS list_refunds_by_operator ON yibao.list_refunds (operator_id, at, id, state);
CREATE INDEX IF NOT EXISTS list_refunds_by_channel ON yibao.list_refunds (channel, at, id, state);
CREATE INDEX IF NOT EXISTS list_refunds_by_amount ON yibao.list_refunds (amount_fen, id);
CREATE INDEX IF NOT EXISTS list_refunds_by_order ON yibao.list_refunds (station_id, order_id, at);

-- One step into its refund's row; each event is applied once, by the trigger as it is stored or by init's backfill.
CREATE OR REPLACE FUNCTION yibao.project_refund_step(e yibao.station_events) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  key text := COALESCE(e.body->'ids'->>'stationRefundId', CASE WHEN e.movement <> 'pay.refund' THEN e.body->'ids'->>'refundId' END);
  back_fund bigint := 0;
  back_account bigint := 0;
  back_cash bigint := 0;
BEGIN
  IF e.movement NOT IN ${STEPS} OR e.outcome <> 'succeeded' THEN RETURN; END IF;
  IF key IS NULL THEN
    SELECT r.refund_id INTO key FROM yibao.list_refunds r WHERE r.station_id = e.station_id AND r.order_id = e.order_id
      ORDER BY r.at DESC, r.id DESC LIMIT 1;
    IF key IS NULL THEN RETURN; END IF;
  END IF;
  -- The centre's legs from its events (2208, a resettlement, 6203's insurance part), the cash from the money back.
  IF e.channel = 'nhsa' THEN
    back_fund := -COALESCE(e.fund_fen, 0);
    back_account := -COALESCE(e.account_fen, 0);
  ELSIF e.channel <> 'his' THEN
    back_cash := -COALESCE(e.cash_fen, 0);
  END IF;
  INSERT INTO yibao.list_refunds (id, station_id, refund_id, order_id, his_order_no, operator_id, state, fund_fen,
    account_fen, cash_fen, amount_fen, channel, at, finished_at)
  SELECT e.id, e.station_id, key, e.order_id, e.his_order_no, e.operator_id, 'centre-cancelled', 0, 0, 0, 0, NULL, e.at, NULL
  WHERE NOT EXISTS (SELECT 1 FROM yibao.list_refunds r WHERE r.station_id = e.station_id AND r.refund_id = key);
  UPDATE yibao.list_refunds SET
    fund_fen = fund_fen + back_fund,
    account_fen = account_fen + back_account,
    cash_fen = cash_fen + back_cash,
    amount_fen = amount_fen + back_fund + back_account + back_cash,
    channel = COALESCE(channel, CASE WHEN e.channel IN ('wechat', 'alipay', 'cash', 'card', 'mobile') THEN e.channel END),
    at = LEAST(at, e.at),
    state = CASE WHEN e.movement IN ${FINAL_STEPS} THEN 'refunded' ELSE state END,
    finished_at = CASE WHEN e.movement IN ${FINAL_STEPS} THEN COALESCE(finished_at, e.at) ELSE finished_at END
  WHERE station_id = e.station_id AND refund_id = key;
END
$$;

CREATE OR REPLACE FUNCTION yibao.project_refunds() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM yibao.project_refund_step(NEW);
  RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS station_events_project_refunds ON yibao.station_events;
CREATE TRIGGER station_events_project_refunds AFTER INSERT ON yibao.station_events
  FOR EACH ROW EXECUTE PROCEDURE yibao.project_refunds();

-- Events stored before v4: projected once, in their order, while the projection is still empty; a rerun finds rows
-- and adds nothing. Creating the trigger above locked out the stations' inserts until init commits, so this sees
-- every event stored without the trigger and none is applied by both.
DO $$
DECLARE
  e yibao.station_events;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM yibao.list_refunds) THEN
    FOR e IN SELECT * FROM yibao.station_events WHERE movement IN ${STEPS} ORDER BY id LOOP
      PERFORM yibao.project_refund_step(e);
    END LOOP;
  END IF;
END
$$;

-- v6: a phone's refunds a v5 server stored without projecting them (6203 was no step there), once: the cursor reads
-- the events as they were when it opened, so both events of one refund are applied, and a rerun finds their row.
DO $$
DECLARE
  e yibao.station_events;
BEGIN
  FOR e IN SELECT * FROM yibao.station_events s WHERE s.movement = 'mobile.6203' AND s.outcome = 'succeeded'
      AND s.body->'ids'->>'stationRefundId' IS NOT NULL AND NOT EXISTS (SELECT 1 FROM yibao.list_refunds r WHERE r.station_id = s.station_id
        AND r.refund_id = s.body->'ids'->>'stationRefundId')
      ORDER BY s.id LOOP
    PERFORM yibao.project_refund_step(e);
  END LOOP;
END
$$;

GRANT SELECT ON yibao.list_refunds TO yibao_office;
`;
