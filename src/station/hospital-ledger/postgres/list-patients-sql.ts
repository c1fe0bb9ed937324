/**
 * Ledger schema v5: the patient's blind lookup tokens on the office's lists (全院 patient search). An event carries
 * `patient` (the key's id, HMAC-SM3 tokens of the ID number and the name) when its station holds the hospital-wide
 * lookup key; the tokens go on every projected row of that order at that station still without them — so a list
 * row whose own event came before the key gets them from a later event of its order. A trigger named after the
 * projections' (PostgreSQL fires a table's triggers in name order) so their rows exist when it runs.
 * No clear name or ID number ever reaches the ledger, so the backfill cannot derive tokens for events that carry
 * none: those rows are found by patient only on the station that holds them. Run inside SCHEMA_SQL; idempotent.
 */
const LISTS = ['list_payments', 'list_registrations', 'list_refunds'] as const;

const columns = (table: string) => `
ALTER TABLE yibao.${table} ADD COLUMN IF NOT EXISTS lookup_key_id varchar(16);
ALTER TABLE yibao.${table} ADD COLUMN IF NOT EXISTS cert_token char(64);
ALTER TABLE yibao.${table} ADD COLUMN IF NOT EXISTS name_token char(64);
CREATE INDEX IF NOT EXISTS ${table}_by_cert_token ON yibao.${table} (cert_token, at, id);
CREATE INDEX IF NOT EXISTS ${table}_by_name_token ON yibao.${table} (name_token, at, id);`;

const tokened = (table: string, from: string) => `
  UPDATE yibao.${table} SET lookup_key_id = ${from}->>'keyId', cert_token = ${from}->>'certNo', name_token = ${from}->>'name'
    WHERE station_id = e.station_id AND order_id = e.order_id AND cert_token IS NULL;`;

export const LIST_PATIENTS_SQL = `
${LISTS.map(columns).join('\n')}
CREATE INDEX IF NOT EXISTS list_registrations_by_order ON yibao.list_registrations (station_id, order_id);

CREATE OR REPLACE FUNCTION yibao.project_patient(e yibao.station_events) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF e.body->'patient' IS NULL THEN RETURN; END IF;
  ${LISTS.map((t) => tokened(t, `e.body->'patient'`)).join('')}
END
$$;

CREATE OR REPLACE FUNCTION yibao.project_patients() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM yibao.project_patient(NEW);
  RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS station_events_tokens ON yibao.station_events;
CREATE TRIGGER station_events_tokens AFTER INSERT ON yibao.station_events
  FOR EACH ROW EXECUTE PROCEDURE yibao.project_patients();

-- Rows projected without tokens (events stored before v5, or a projection rebuilt by init): from the newest event of
-- their order that carries them. Rows no event of their order has tokens for stay without: nothing to derive them from.
DO $$
DECLARE
  e yibao.station_events;
BEGIN
  FOR e IN SELECT DISTINCT ON (s.station_id, s.order_id) s.* FROM yibao.station_events s
    WHERE s.body->'patient' IS NOT NULL AND (${LISTS.map(
      (t) => `EXISTS (SELECT 1 FROM yibao.${t} x WHERE x.station_id = s.station_id AND x.order_id = s.order_id AND x.cert_token IS NULL)`,
    ).join(' OR ')})
    ORDER BY s.station_id, s.order_id, s.id DESC LOOP
    PERFORM yibao.project_patient(e);
  END LOOP;
END
$$;
`;
