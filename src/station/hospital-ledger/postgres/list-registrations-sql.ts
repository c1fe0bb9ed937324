/**
 * Ledger schema v3: the office's registrations list (挂号, issue 13 item 7) as a projection of the events, like
 * `list_payments`. One row per outpatient 2201 (a `registration`, or `registration-reversed` when 2601 undid it);
 * the 2202 that undid it and the 2207 settled on it are found by the centre's visit number (mdtrt_id) that 2201,
 * 2202 and 2207 all carry, so events stored before this version pair up without a new field. Inpatient admissions
 * (2401) are not registrations in the station's list either. Run inside SCHEMA_SQL as yibao_owner; idempotent.
 */
export const LIST_REGISTRATIONS_SQL = `
CREATE TABLE IF NOT EXISTS yibao.list_registrations (
  id bigint PRIMARY KEY,
  station_id varchar(32) NOT NULL,
  event_id varchar(64) NOT NULL,
  order_id varchar(64) NOT NULL,
  his_order_no varchar(64),
  operator_id varchar(64),
  mdtrt_id varchar(64),
  state varchar(16) NOT NULL,
  reversal varchar(16) NOT NULL,
  settled boolean NOT NULL,
  amount_fen bigint NOT NULL,
  at timestamptz NOT NULL,
  reversed_at timestamptz
);
CREATE INDEX IF NOT EXISTS list_registrations_by_at ON yibao.list_registrations (at, id);
CREATE INDEX IF NOT EXISTS list_registrations_by_station ON yibao.list_registrations (station_id, at, id, state);
CREATE INDEX IF NOT EXISTS list_registrations_by_operator ON yibao.list_registrations (operator_id, at, id, state);
CREATE INDEX IF NOT EXISTS list_registrations_by_amount ON yibao.list_registrations (amount_fen, id);
CREATE INDEX IF NOT EXISTS list_registrations_by_visit ON yibao.list_registrations (station_id, mdtrt_id);
-- the channel filter asks whether the registration's order was paid on a channel
CREATE INDEX IF NOT EXISTS list_payments_by_order ON yibao.list_payments (station_id, order_id);

CREATE OR REPLACE FUNCTION yibao.project_registrations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  visit text := NEW.body->'ids'->>'mdtrtId';
BEGIN
  IF NEW.movement = 'nhsa.2201' AND NEW.kind IN ('registration', 'registration-reversed') THEN
    INSERT INTO yibao.list_registrations (id, station_id, event_id, order_id, his_order_no, operator_id, mdtrt_id, state,
      reversal, settled, amount_fen, at, reversed_at)
    SELECT NEW.id, NEW.station_id, NEW.event_id, NEW.order_id, NEW.his_order_no, NEW.operator_id, visit,
      CASE WHEN NEW.kind = 'registration' THEN 'registered' ELSE 'reversed-2601' END, 'none', false, 0, NEW.at, NULL
    WHERE NOT EXISTS (SELECT 1 FROM yibao.list_registrations r WHERE r.id = NEW.id);
  ELSIF NEW.movement = 'nhsa.2202' AND visit IS NOT NULL THEN
    UPDATE yibao.list_registrations SET reversal = 'reversed', reversed_at = NEW.at
      WHERE station_id = NEW.station_id AND mdtrt_id = visit AND reversal = 'none';
  ELSIF NEW.movement = 'nhsa.2207' AND NEW.kind = 'settlement' AND visit IS NOT NULL THEN
    UPDATE yibao.list_registrations SET settled = true, amount_fen = COALESCE(NEW.total_fen, 0)
      WHERE station_id = NEW.station_id AND mdtrt_id = visit AND NOT settled;
  END IF;
  RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS station_events_project_registrations ON yibao.station_events;
CREATE TRIGGER station_events_project_registrations AFTER INSERT ON yibao.station_events
  FOR EACH ROW EXECUTE PROCEDURE yibao.project_registrations();

-- Events stored before v3: projected once; a rerun adds nothing and moves nothing twice.
INSERT INTO yibao.list_registrations (id, station_id, event_id, order_id, his_order_no, operator_id, mdtrt_id, state,
  reversal, settled, amount_fen, at, reversed_at)
SELECT e.id, e.station_id, e.event_id, e.order_id, e.his_order_no, e.operator_id, e.body->'ids'->>'mdtrtId',
  CASE WHEN e.kind = 'registration' THEN 'registered' ELSE 'reversed-2601' END, 'none', false, 0, e.at, NULL
FROM yibao.station_events e
WHERE e.movement = 'nhsa.2201' AND e.kind IN ('registration', 'registration-reversed')
  AND NOT EXISTS (SELECT 1 FROM yibao.list_registrations r WHERE r.id = e.id);
UPDATE yibao.list_registrations r SET reversal = 'reversed', reversed_at = c.at
  FROM yibao.station_events c
  WHERE c.movement = 'nhsa.2202' AND c.station_id = r.station_id AND c.body->'ids'->>'mdtrtId' = r.mdtrt_id AND r.reversal = 'none';
UPDATE yibao.list_registrations r SET settled = true, amount_fen = COALESCE(s.total_fen, 0)
  FROM yibao.station_events s
  WHERE s.movement = 'nhsa.2207' AND s.kind = 'settlement' AND s.station_id = r.station_id
    AND s.body->'ids'->>'mdtrtId' = r.mdtrt_id AND NOT r.settled;

GRANT SELECT ON yibao.list_registrations TO yibao_office;
`;
