/**
 * Part of `bench -- ledger` (not a benchmark of its own): a day of N settlement events bulk-loaded into the hospital
 * ledger (generate_series, as their bodies are stored), read through the office login and reconciled with the NHSA
 * centre simulator on 127.0.0.1. The centre holds none of them, so every group is unbalanced and the 3202 detail
 * round runs over all N: the slowest day there is. The settlements are spread over LEDGER_REGIONS insured regions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { startCentreWithFreshKeys } from '../src/simulators/nhsa';
import { dayStartUtc, localDay, systemClock } from '../src/station/clock';
import { PostgresLedgerReader } from '../src/station/hospital-ledger';
import { createSettlementRig, INSTITUTION, OPERATOR } from '../src/station/outpatient/testing/settlement-rig';
import { reconcileDay } from '../src/station/reconciliation';

export interface DayFigures {
  settlements: number;
  readSeconds: number;
  reconcileSeconds: number;
  seconds: number;
  groups: number;
  differences: number;
}

/**
 * The insured persons' regions the day spreads over (350200 …): 3202 uploads one detail file per unbalanced region,
 * and the centre takes at most 2 MiB a request — one region of 100,000 settlements does not fit (see the report).
 */
const REGIONS = Number(process.env.LEDGER_REGIONS ?? 25);

const seconds = (since: number) => Math.round((performance.now() - since) / 10) / 100;

export async function reconcileBigDay(owner: pg.ClientBase, office: pg.ClientConfig, settlements: number): Promise<DayFigures> {
  const day = localDay(systemClock().now(), 'Asia/Shanghai');
  const start = dayStartUtc(day, 'Asia/Shanghai');
  await owner.query(
    `INSERT INTO yibao.station_events (station_id, event_id, station_seq, schema_version, kind, movement, outcome, order_id, operator_id,
       channel, at, total_fen, fund_fen, account_fen, cash_fen, setl_id, body)
     SELECT st, 'S' || g, g, 1, 'settlement', 'nhsa.2207', 'succeeded', 'so-' || g, 'sf001', 'nhsa', t, m, f, a, m - f - a, 'SETL' || g,
       jsonb_build_object('v', 1, 'stationId', st, 'eventId', 'S' || g, 'seq', g, 'kind', 'settlement', 'movement', 'nhsa.2207',
         'outcome', 'succeeded', 'orderId', 'so-' || g, 'hisOrderNo', NULL, 'operatorId', 'sf001', 'actor', 'station',
         'at', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'channel', 'nhsa',
         'amounts', jsonb_build_object('total', m, 'fund', f, 'account', a, 'cash', m - f - a),
         'ids', jsonb_build_object('setlId', 'SETL' || g, 'mdtrtId', 'MD' || g),
         'insurance', jsonb_build_object('insutype', CASE WHEN g % 3 = 0 THEN '390' ELSE '310' END, 'region', '3502' || lpad((g % $3::int)::text, 2, '0'), 'clrType', '11',
           'psnNo', 'P' || (g % 20000)))
     FROM generate_series(1, $1::int) g,
       LATERAL (SELECT 'W0' || (1 + g % 3) AS st, $2::timestamptz + (g * (86000000 / $1::int)) * interval '1 millisecond' AS t,
         1000 + (g::bigint * 7919) % 50000 AS m) s1,
       LATERAL (SELECT (m * 6) / 10 AS f, m / 10 AS a) s2`,
    [settlements, start.toISOString(), REGIONS],
  );
  await owner.query('ANALYZE yibao.station_events');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-recon-'));
  const fx = await startCentreWithFreshKeys({ region: INSTITUTION.admdvs });
  const rig = createSettlementRig(dir, {
    url: fx.centre.url,
    voucherUrl: fx.centre.voucherUrl,
    region: fx.region,
    clientId: fx.clientId,
    stationPrivateKeyHex: fx.station.privateKeyHex,
    centrePublicKeyHex: fx.centrePublicKeyHex,
  });
  const reader = new PostgresLedgerReader(office);
  try {
    const t0 = performance.now();
    const events = await reader.eventsBetween(start, new Date(start.getTime() + 86_400_000));
    const readSeconds = seconds(t0);
    if (events.length !== settlements) throw new Error(`read ${events.length} of ${settlements} settlements`);
    const t1 = performance.now();
    const r = await reconcileDay({ gateway: rig.gateway, operator: OPERATOR }, events, day);
    const reconcileSeconds = seconds(t1);
    return { settlements, readSeconds, reconcileSeconds, seconds: seconds(t0), groups: r.groups.length, differences: r.differences.length };
  } finally {
    await reader.close();
    await rig.close();
    await fx.centre.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
