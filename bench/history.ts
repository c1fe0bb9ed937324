/**
 * npm run bench -- history        (HISTORY_ORDERS=N to change the size; default 400,000)
 *
 * A year of a busy window: does a station database holding ≈ 400,000 completed orders (with their lines,
 * payments, identifications, intents and the intents' journal) start and answer its first call as fast as an
 * empty one, and do the periodic sweeps stay off that history?
 *
 * The big database is built quickly but through the real schema: the station creates and migrates it at its first
 * start, then the history is bulk-inserted in transactions (sealed columns hold filler of a sealed value's size:
 * nothing reads them, since no history order is in a state a sweep or a first call opens). Then, alternating
 * empty and big several times, each with a live configuration pointing at the training rig's simulators:
 *   - start → first answered call: createStationFromConfig (SQLite open, migrations check, keys, outbox start with
 *     its crash check and first counts, recovery and the first sweep's queries) → `stationInfo` answered;
 *   - the first working calls: login, then the cashier's list of today's orders;
 *   - one sweep pass's queries, run through the real repos: the outbox's start and resolver (prepared leftovers,
 *     open counts, waiting QRs, due, next wake-up), recovery's and the expiry sweep's orders, the completion
 *     sweep's last day, today's list — also timed on the big database with the indexes of migration 7 taken
 *     away, and the time migration 7 takes on it;
 *   - a new process → the core answers (node + tsx, as the identify bench's cold start).
 * Goal: the big database within 10% of the empty one (medians).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { createStationFromConfig } from '../src/app/compose';
import { TRAINING_KEY_FILE } from '../src/app/training-rig';
import { MOVEMENT_KINDS } from '../src/station/movements/kinds';
import { IntentsRepo } from '../src/station/outbox';
import { OrdersRepo } from '../src/station/outpatient/orders-repo';
import { FieldCipher, hashPassword, loadOrCreateDataKeys } from '../src/station/security';
import { MIGRATIONS, openDatabase } from '../src/station/store';

const ORDERS = Number(process.env.HISTORY_ORDERS ?? 400_000);
const ROUNDS = 9;
const PROCESS_ROUNDS = 5;
const LOGIN = { login: 'hist01', password: 'History@2026' };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const r2 = (n: number) => Math.round(n * 100) / 100;

/** A sealed value's size (SM4-CBC + IV + tag, base64) of filler: history rows are never opened here. */
const SEALED = `v1.${'A'.repeat(24)}.${'B'.repeat(160)}.${'C'.repeat(44)}`;

function buildHistory(file: string, orders: number): { rows: number; seconds: number; mb: number } {
  const t0 = performance.now();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // a build, not a station: the station opens it with FULL
  const psns = 800;
  const yearAgo = Date.now() - 367 * 86_400_000;
  const step = (365 * 86_400_000) / orders; // history ends two days ago: nothing of it is "today"
  const iso = (t: number) => new Date(t).toISOString();
  const put = {
    person: db.prepare('INSERT INTO persons (psn_no, certno_index, sealed, updated_at) VALUES (?, ?, ?, ?)'),
    identification: db.prepare(
      `INSERT INTO identifications (id, at, operator_id, method, cert_type, psn_no, insuplc_admdvs, msgid, cert_sealed)
       VALUES (?, ?, ?, 'idcard', '02', ?, '350200', ?, ?)`,
    ),
    order: db.prepare(
      `INSERT INTO outpatient_orders (id, his_order_no, identification_id, psn_no, insutype, insuplc_admdvs, cert_sealed, operator_id,
         care_sealed, doctor_index, state, total_fen, mdtrt_id, chrg_bchno, setl_id, fund_fen, pool_fen, account_fen, cash_fen,
         deductible_fen, balance_sealed, fee_results_sealed, settlement_sealed, created_at, updated_at, settle_mode, his_settle_id,
         his_settlement_sealed, completed_at, push_state, eligibility_sealed)
       VALUES (?, ?, ?, ?, '310', '350200', ?, ?, '${SEALED}', 'doctor-index', 'completed', ?, ?, ?, ?, ?, ?, ?, ?, 0, '${SEALED}', ?, ?, ?, ?,
         'insurance', ?, ?, ?, 'sent', ?)`,
    ),
    line: db.prepare(
      `INSERT INTO outpatient_order_lines (order_id, seq, feedetl_sn, his_item_code, med_list_codg, name, item_sealed, quantity,
         unit_price_fen, amount_fen, charge_level, rx_no) VALUES (?, ?, ?, '', '', '', '${SEALED}', '1', ?, ?, '甲', ?)`,
    ),
    payment: db.prepare(
      `INSERT INTO payments (id, order_id, mode, channel, out_trade_no, amount_fen, state, transaction_id, created_at, updated_at)
       VALUES (?, ?, 'micropay', 'wechat', ?, ?, 'paid', ?, ?, ?)`,
    ),
    intent: db.prepare(
      `INSERT INTO intents (id, kind, order_id, external_id, state, payload, result, attempts, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'succeeded', ?, ?, 0, ?, ?)`,
    ),
    transition: db.prepare(
      `INSERT INTO intent_transitions (intent_id, at, from_state, to_state, actor, detail) VALUES (?, ?, ?, ?, 'station', '')`,
    ),
  };
  let rows = 0;
  db.transaction(() => {
    for (let p = 0; p < psns; p++) put.person.run(`H35020000${String(p).padStart(4, '0')}`, `idx-${p}`, SEALED, iso(yearAgo));
  })();
  rows += psns;
  const BATCH = 5_000;
  for (let from = 0; from < orders; from += BATCH) {
    db.transaction(() => {
      for (let k = from; k < Math.min(orders, from + BATCH); k++) {
        const t = yearAgo + k * step;
        const at = iso(t);
        const done = iso(t + 60_000);
        const id = `ho-${k}`;
        const psn = `H35020000${String(k % psns).padStart(4, '0')}`;
        const cash = k % 10 < 3 ? 1_250 : 0;
        put.identification.run(`hi-${k}`, at, LOGIN.login, psn, `M${k}`, SEALED);
        put.order.run(
          id,
          `HH${k}`,
          `hi-${k}`,
          psn,
          SEALED,
          LOGIN.login,
          8_600,
          `MD${k}`,
          `CB${k}`,
          `SL${k}`,
          8_600 - cash,
          7_000 - cash,
          1_600,
          cash,
          SEALED,
          SEALED,
          at,
          done,
          `HS${k}`,
          SEALED,
          done,
          SEALED,
        );
        for (let seq = 1; seq <= 3; seq++) put.line.run(id, seq, `HH${k}-${seq}`, 2_000 + seq * 100, 2_000 + seq * 100, `RX${k}`);
        rows += 5;
        const kinds: string[] = [MOVEMENT_KINDS.registration, MOVEMENT_KINDS.fees, MOVEMENT_KINDS.settlement];
        if (cash) {
          put.payment.run(`hp-${k}`, id, `OT${k}`, cash, `TX${k}`, at, done);
          kinds.push(MOVEMENT_KINDS.micropay);
          rows += 1;
        }
        kinds.push(MOVEMENT_KINDS.hisConfirm, MOVEMENT_KINDS.push);
        for (const kind of kinds) {
          const intentId = `${kind}-${k}`;
          put.intent.run(intentId, kind, id, `X${kind}-${k}`, SEALED, SEALED, at, done);
          put.transition.run(intentId, at, null, 'prepared');
          put.transition.run(intentId, done, 'prepared', 'succeeded');
          rows += 3;
        }
      }
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { rows, seconds: (performance.now() - t0) / 1000, mb: Math.round(fs.statSync(file).size / 1e6) };
}

/** One pass of what the sweeps, recovery and the resolver ask the database, through the real repos. */
function sweepPass(dataDir: string): (() => number) & { close(): void } {
  const db = openDatabase(path.join(dataDir, 'station.db'));
  const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys')));
  const intents = new IntentsRepo(db, cipher);
  const orders = new OrdersRepo(db, cipher);
  const pass = () => {
    const now = new Date();
    const t0 = performance.now();
    intents.inState('prepared');
    intents.openCounts();
    intents.openOfKind(MOVEMENT_KINDS.qr);
    intents.due(now, 32);
    intents.nextDueAt();
    orders.inStates(['awaiting-payment', 'insurance-settled', 'reversing', 'expiring', 'in-doubt']);
    orders.inStates(['awaiting-payment', 'expiring', 'reversing']);
    orders.owingFollowUp(new Date(now.getTime() - 86_400_000));
    orders.today(new Date(now.getTime() - 26 * 3_600_000), { operatorId: LOGIN.login });
    return performance.now() - t0;
  };
  return Object.assign(pass, { close: () => db.close() });
}

async function startToFirstAnswer(dataDir: string): Promise<{ start: number; firstCalls: number }> {
  const t0 = performance.now();
  const s = await createStationFromConfig({ dataDir, training: false, shell: 'browser' });
  const session = s.core.openSession('ws');
  const info = await s.core.dispatch(session, 'stationInfo', {});
  const start = performance.now() - t0;
  if (!info.ok) throw new Error('the core did not answer');
  const t1 = performance.now();
  const login = await s.core.dispatch(session, 'login', LOGIN);
  const today = await s.core.dispatch(session, 'listTodayOrders', {});
  const firstCalls = performance.now() - t1;
  if (!login.ok || !today.ok) throw new Error(`first calls failed: ${JSON.stringify(login.ok ? today : login)}`);
  await s.close();
  return { start, firstCalls };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-history-'));
  const rigStation = await createStationFromConfig({ dataDir: path.join(dir, 'rig'), training: true, shell: 'browser' });
  try {
    const rig = rigStation.training!;
    const config = { ...rig.config, devices: [], nhsa: { ...rig.config.nhsa, keyFile: 'keys/nhsa.json' } };
    const dirs = { empty: path.join(dir, 'empty'), big: path.join(dir, 'big') };
    const hash = await hashPassword(LOGIN.password, { N: 2 ** 14, r: 8, p: 1 });
    for (const d of Object.values(dirs)) {
      fs.mkdirSync(path.join(d, 'keys'), { recursive: true });
      fs.copyFileSync(path.join(dir, 'rig', TRAINING_KEY_FILE), path.join(d, 'keys', 'nhsa.json'));
      fs.writeFileSync(path.join(d, 'station.config.json'), JSON.stringify(config, null, 2));
      // The first start creates the database (all migrations), the data keys and the self-service operator.
      const s = await createStationFromConfig({ dataDir: d, training: false, shell: 'browser' });
      await s.close();
      const db = new Database(path.join(d, 'station.db'));
      db.prepare(`INSERT INTO operators (id, name, role, password_hash, created_at) VALUES (?, '王芳', 'cashier', ?, ?)`).run(
        LOGIN.login,
        hash,
        new Date().toISOString(),
      );
      db.close();
    }
    const built = buildHistory(path.join(dirs.big, 'station.db'), ORDERS);
    console.log(
      `built ${ORDERS.toLocaleString('en')} orders (${built.rows.toLocaleString('en')} rows, ${built.mb} MB) in ${built.seconds.toFixed(1)} s`,
    );

    // The sweep pass on the big database without migration 7's indexes, then the migration itself.
    const bigFile = path.join(dirs.big, 'station.db');
    const raw = new Database(bigFile);
    raw.exec(`DROP INDEX intents_by_state; DROP INDEX intents_by_created; DROP INDEX outpatient_orders_by_state_completed;
      DROP INDEX outpatient_orders_by_identification; DROP INDEX outpatient_orders_by_updated;
      CREATE INDEX intents_open ON intents(next_at) WHERE state IN ('prepared','unknown','compensating','escalated');
      CREATE INDEX outpatient_orders_by_state ON outpatient_orders(state);`);
    raw.close();
    const without = sweepPass(dirs.big);
    const sweepWithout: number[] = [];
    for (let i = 0; i < 3; i++) sweepWithout.push(without());
    without.close();
    const m7 = MIGRATIONS.find((m) => m.version === 7)!;
    const rawAgain = new Database(bigFile);
    const tm = performance.now();
    rawAgain.transaction(() => rawAgain.exec(m7.sql))();
    const migrationS = (performance.now() - tm) / 1000;
    rawAgain.close();

    // Alternating: empty, big, empty, big … (the first of each kind warms the caches and is not counted).
    const starts = { empty: [] as number[], big: [] as number[] };
    const firsts = { empty: [] as number[], big: [] as number[] };
    for (let i = 0; i <= ROUNDS; i++) {
      for (const kind of i % 2 ? (['big', 'empty'] as const) : (['empty', 'big'] as const)) {
        const r = await startToFirstAnswer(dirs[kind]);
        if (i === 0) continue;
        starts[kind].push(r.start);
        firsts[kind].push(r.firstCalls);
      }
    }
    const sweeps = { empty: [] as number[], big: [] as number[] };
    const passes = { empty: sweepPass(dirs.empty), big: sweepPass(dirs.big) };
    for (let i = 0; i <= ROUNDS * 2; i++) {
      for (const kind of i % 2 ? (['big', 'empty'] as const) : (['empty', 'big'] as const)) {
        const t = passes[kind]();
        if (i > 0) sweeps[kind].push(t);
      }
    }
    passes.empty.close();
    passes.big.close();
    const processes = { empty: [] as number[], big: [] as number[] };
    const probe = path.join(path.dirname(new URL(import.meta.url).pathname), '_cold-start-probe.ts');
    for (let i = 0; i < PROCESS_ROUNDS; i++) {
      for (const kind of i % 2 ? (['big', 'empty'] as const) : (['empty', 'big'] as const)) {
        const r = spawnSync(process.execPath, ['--import', 'tsx', probe, dirs[kind]], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`cold-start probe failed: ${r.stderr}`);
        processes[kind].push((JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { elapsedMs: number }).elapsedMs);
      }
    }

    const rows = [
      ['start → first answered call (in process)', starts],
      ['first calls: login + today’s orders', firsts],
      ['one sweep pass’s queries', sweeps],
      ['new process → core answers (node + tsx)', processes],
    ] as const;
    console.log(`${'median ms'.padEnd(44)} ${'empty'.padStart(8)} ${'big'.padStart(8)} ${'big/empty'.padStart(10)}`);
    for (const [name, s] of rows) {
      const e = median(s.empty);
      const b = median(s.big);
      console.log(`${name.padEnd(44)} ${e.toFixed(2).padStart(8)} ${b.toFixed(2).padStart(8)} ${(b / e).toFixed(2).padStart(9)}×`);
    }
    const sweepWithoutMs = median(sweepWithout);
    console.log(
      `${'one sweep pass, big, without migration 7'.padEnd(44)} ${''.padStart(8)} ${sweepWithoutMs.toFixed(2).padStart(8)} ` +
        `(${(sweepWithoutMs / median(sweeps.big)).toFixed(0)}× the pass with it); migration 7 on the big database: ${migrationS.toFixed(1)} s`,
    );
    console.log(`${ROUNDS} alternating rounds (in process), ${PROCESS_ROUNDS} new processes each; machine shared`);
    const startMet = median(starts.big) <= median(starts.empty) * 1.1;
    const firstMet = median(firsts.big) <= median(firsts.empty) * 1.1;
    console.log(
      `goal: start → first answer within 10% of the empty database: ${startMet ? 'met' : 'MISSED'} (${r2(median(starts.big))} vs ${r2(median(starts.empty))} ms)`,
    );
    console.log(
      `goal: first calls within 10% of the empty database: ${firstMet ? 'met' : 'MISSED'} (${r2(median(firsts.big))} vs ${r2(median(firsts.empty))} ms)`,
    );
    console.log(
      JSON.stringify({
        bench: 'history',
        orders: ORDERS,
        rows: built.rows,
        db_mb: built.mb,
        build_s: r2(built.seconds),
        start_ms: { empty: r2(median(starts.empty)), big: r2(median(starts.big)) },
        first_calls_ms: { empty: r2(median(firsts.empty)), big: r2(median(firsts.big)) },
        sweep_ms: { empty: r2(median(sweeps.empty)), big: r2(median(sweeps.big)), big_without_007: r2(sweepWithoutMs) },
        process_start_ms: { empty: r2(median(processes.empty)), big: r2(median(processes.big)) },
        migration_007_s: r2(migrationS),
        start_ratio: r2(median(starts.big) / median(starts.empty)),
        goal_met: startMet && firstMet,
      }),
    );
  } finally {
    await rigStation.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
