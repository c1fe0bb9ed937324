/**
 * npm run bench -- outbox
 *
 * 1. Durable intent write: one outbox intent (business row + intent + its journal line, sealed payload) in one
 *    transaction, WAL with synchronous=FULL, on the real data-dir file system. Goal p99 ≤ 2 ms. Beside it the same
 *    write under the running station's group commit (store/group-commit.ts): how long the commit holds the event loop,
 *    the commit with its barrier (`durable`), and 32 writers at once — how many fsyncs their barriers took.
 * 2. Resolver throughput against the NHSA centre simulator: N settlements whose 2207 answers were lost after the
 *    centre committed them, each reversed by 2601; resolutions per second. Goal ≥ 500/s.
 * 3. Restart to resumed resolution: a data dir left with intents in doubt is opened again; time from start()
 *    until the first intent reaches a final state. Goal ≤ 1 s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/station/store/database';
import { durable, useGroupCommit } from '../src/station/store/group-commit';
import { FieldCipher, loadOrCreateDataKeys } from '../src/station/security/field-cipher';
import { IntentsRepo } from '../src/station/outbox/intents-repo';
import { POPULATION, startCentreWithFreshKeys } from '../src/simulators/nhsa';
import { createSettlementRig, INSTITUTION, readyToSettle } from '../src/station/outpatient/testing/settlement-rig';
import { MOVEMENT_KINDS } from '../src/station/movements/kinds';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const r2 = (n: number) => Math.round(n * 1000) / 1000;

function intentWrites(dir: string) {
  const db = openDatabase(path.join(dir, 'station.db'));
  db.exec('CREATE TABLE bench_orders (id TEXT PRIMARY KEY, state TEXT NOT NULL)');
  const repo = new IntentsRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys'))));
  const samples: number[] = [];
  const payload = { psn_no: '35020000000000000101', medfee_sumamt: 5300, mdtrt_id: 'M'.repeat(20), note: '门诊结算' };
  for (let i = 0; i < 2200; i++) {
    const t0 = performance.now();
    db.transaction(() => {
      db.prepare("INSERT INTO bench_orders (id, state) VALUES (?, 'settling')").run(`o${i}`);
      repo.insert({ id: `i${i}`, kind: 'bench', orderId: `o${i}`, externalId: `E${i}`, payload }, new Date());
    })();
    if (i >= 200) samples.push(performance.now() - t0);
  }
  db.close();
  return { n: samples.length, p50: r2(pct(samples, 50)), p99: r2(pct(samples, 99)), max: r2(Math.max(...samples)) };
}

async function groupCommitWrites(dir: string) {
  const db = openDatabase(path.join(dir, 'station.db'));
  const barrier = useGroupCommit(db);
  db.exec('CREATE TABLE bench_orders (id TEXT PRIMARY KEY, state TEXT NOT NULL)');
  const repo = new IntentsRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys'))));
  const payload = { psn_no: '35020000000000000101', medfee_sumamt: 5300, mdtrt_id: 'M'.repeat(20), note: '门诊结算' };
  const write = (i: number) =>
    db.transaction(() => {
      db.prepare("INSERT INTO bench_orders (id, state) VALUES (?, 'settling')").run(`o${i}`);
      repo.insert({ id: `i${i}`, kind: 'bench', orderId: `o${i}`, externalId: `E${i}`, payload }, new Date());
    })();
  const held: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < 2200; i++) {
    const t0 = performance.now();
    write(i);
    const t1 = performance.now();
    await durable(db);
    if (i >= 200) {
      held.push(t1 - t0);
      whole.push(performance.now() - t0);
    }
  }
  // 32 writers at once, as phones and the resolver write: each commits, then waits for the barrier.
  const before = barrier.flushes;
  const rounds = 50;
  for (let r = 0; r < rounds; r++)
    await Promise.all(
      Array.from({ length: 32 }, async (_, k) => {
        write(10_000 + r * 32 + k);
        await durable(db);
      }),
    );
  db.close();
  return {
    heldP50: r2(pct(held, 50)),
    heldP99: r2(pct(held, 99)),
    durableP50: r2(pct(whole, 50)),
    durableP99: r2(pct(whole, 99)),
    concurrentIntents: 32 * rounds,
    concurrentFsyncs: barrier.flushes - before,
  };
}

async function resolverThroughput(dir: string, n: number) {
  const fx = await startCentreWithFreshKeys({ region: INSTITUTION.admdvs });
  const connection = {
    url: fx.centre.url,
    voucherUrl: fx.centre.voucherUrl,
    region: fx.region,
    clientId: fx.clientId,
    stationPrivateKeyHex: fx.station.privateKeyHex,
    centrePublicKeyHex: fx.centrePublicKeyHex,
  };
  const rig = createSettlementRig(dir, connection);
  const patient = POPULATION.find((p) => p.insurances[0]?.insuplcAdmdvs === INSTITUTION.admdvs && p.insurances[0]?.psnInsuStas === '1')!;
  try {
    // n orders, each with its 2207 answer lost after the centre committed it
    fx.centre.control.inject({ infno: '2207', fault: { kind: 'drop-response' } });
    for (let i = 0; i < n; i++) {
      const payload = await readyToSettle(rig, patient);
      await rig.outbox.run(MOVEMENT_KINDS.settlement, { orderId: `o${i}`, externalId: rig.msgids.next(new Date()), payload });
    }
    fx.centre.control.clear();
    await rig.close();

    // restart over the same data dir: time to the first resolution, then the whole drain
    const restarted = createSettlementRig(dir, connection);
    const t0 = performance.now();
    let first = 0;
    const done = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const c = restarted.intents.counts();
        if (!first && c.compensated > 0) first = performance.now() - t0;
        if (c.compensated === n) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });
    restarted.outbox.start();
    await done;
    const total = performance.now() - t0;
    await restarted.close();
    return { n, firstMs: r2(first), drainMs: r2(total), perSecond: Math.round((n / total) * 1000) };
  } finally {
    await fx.centre.close();
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-outbox-'));
try {
  const writes = intentWrites(path.join(dir, 'writes'));
  const grouped = await groupCommitWrites(path.join(dir, 'grouped'));
  const resolver = await resolverThroughput(path.join(dir, 'resolver'), 300);
  console.log('measure                                          value');
  console.log(
    `durable intent write (WAL, synchronous=FULL)    p50 ${writes.p50} ms  p99 ${writes.p99} ms  max ${writes.max} ms  (n=${writes.n})`,
  );
  console.log(
    `group commit: the commit holds the loop       p50 ${grouped.heldP50} ms  p99 ${grouped.heldP99} ms; with its barrier p50 ${grouped.durableP50} ms  p99 ${grouped.durableP99} ms`,
  );
  console.log(
    `group commit: 32 writers at once               ${grouped.concurrentIntents} intents made durable by ${grouped.concurrentFsyncs} fsyncs`,
  );
  console.log(`resolver: lost 2207 → 2601 reversal, ${resolver.n} intents  ${resolver.perSecond}/s  (drain ${resolver.drainMs} ms)`);
  console.log(`restart → first intent resolved                 ${resolver.firstMs} ms`);
  console.log(
    `goals: write p99 ≤ 2 ms ${writes.p99 <= 2 ? 'met' : 'MISSED'}; resolver ≥ 500/s ${resolver.perSecond >= 500 ? 'met' : 'MISSED'}; restart ≤ 1 s ${resolver.firstMs <= 1000 ? 'met' : 'MISSED'}`,
  );
  console.log(
    JSON.stringify({
      bench: 'outbox',
      intentWriteP50Ms: writes.p50,
      intentWriteP99Ms: writes.p99,
      groupCommit: grouped,
      resolverPerSecond: resolver.perSecond,
      resolverIntents: resolver.n,
      restartToFirstResolutionMs: resolver.firstMs,
    }),
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
