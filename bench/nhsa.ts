/**
 * npm run bench -- nhsa
 *
 * The NHSA client against the simulated centre, in-process over HTTP on 127.0.0.1, SM profile (SM4 + SM2 both
 * ways) unless noted.
 *
 * 1. The full outpatient sequence per patient — 1101 → 2201 → 2203 → 2204 (6 lines) → 2206 → 2207 → 3201, after
 *    one 9001 — with a simulated network latency injected on every answer (the centre's delay fault). Reported
 *    per sequence, p50/p95:
 *      wall − latency   what the station waits beyond the network: client and centre work together
 *      client overhead  the client's own time: envelope, SM4/SM2 both ways, schemas (wall time outside the HTTP
 *                       round trips). Goal p95 ≤ 20 ms.
 * 2. Centre throughput: 1101 requests answered per second, from concurrent clients in worker threads (so the
 *    clients' crypto runs beside the centre, not in its thread), for the sm and the plain profile. Every request
 *    a new msgid, so each is decrypted, verified, looked up, recorded, signed and encrypted. Goal ≥ 1,000/s.
 *
 *   tsx bench/nhsa.ts [--sequences 200] [--latency-ms 5] [--seconds 4] [--workers 1] [--concurrency 16]
 *
 * The last line of output is one JSON object for CI.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { MemoryMsgIdAllocator, NhsaClient, type NhsaOutcome, type NhsaTransport } from '../src/insurance/nhsa';
import {
  personInfo,
  preSettleOutpatient,
  reconcileTotals,
  registerOutpatient,
  settleOutpatient,
  signIn,
  uploadOutpatientFees,
  uploadOutpatientVisit,
} from '../src/insurance/nhsa';
import { HttpTransport } from '../src/insurance/nhsa/transport';
import { fen } from '../src/shared/money';
import { POPULATION, startCentreWithFreshKeys, type CentreFixture } from '../src/simulators/nhsa';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : Number.NaN;
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

const SEQUENCES = option('sequences', 200);
const LATENCY_MS = option('latency-ms', 5);
const SECONDS = option('seconds', 4);
const WORKERS = option('workers', Math.max(1, os.availableParallelism() - 1));
const CONCURRENCY = option('concurrency', 16);
const WARMUP = 10;
const CALLS_PER_SEQUENCE = 7;
const operator = { opter: 'sf001', opterName: '收费员甲', opterType: '1' } as const;
const chen = POPULATION.find((p) => p.name === '陈建国')!;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
function summary(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 100) / 100;
  return { n: s.length, p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), max: r(s.at(-1)!) };
}

function ok<T>(outcome: NhsaOutcome<T>): T {
  if (outcome.kind !== 'ok') throw new Error(`bench/nhsa: expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.output;
}

/** An HTTP transport that adds up the time spent in round trips, so the rest is the client's own. */
class TimedTransport implements NhsaTransport {
  roundTripMs = 0;
  constructor(private readonly inner: HttpTransport) {}
  async post(...args: Parameters<HttpTransport['post']>) {
    const started = performance.now();
    try {
      return await this.inner.post(...args);
    } finally {
      this.roundTripMs += performance.now() - started;
    }
  }
}

function clientFor(fx: CentreFixture, code: string, transport?: NhsaTransport): NhsaClient {
  const config = fx.stationConfig({ institution: { code, name: '基准测试医院', admdvs: '350200' }, timeoutMs: 10_000 });
  return new NhsaClient(config, { msgids: new MemoryMsgIdAllocator(code), ...(transport ? { transport } : {}) });
}

// ---- 1. the outpatient sequence ------------------------------------------------------------------------

async function outpatientSequences() {
  const fx = await startCentreWithFreshKeys();
  try {
    const config = fx.stationConfig();
    const timed = new TimedTransport(new HttpTransport({ baseUrl: config.baseUrl, urlStyle: 'per-infno', timeoutMs: 10_000, fetch }));
    const client = clientFor(fx, 'H35020300001', timed);
    const signNo = ok(await signIn(client, { operator }, { opterNo: 'sf001', mac: '', ip: '10.1.2.3' })).signNo;
    const ctx = { operator, signNo, insuplcAdmdvs: '350200' };
    if (LATENCY_MS > 0) fx.centre.control.inject({ infno: '*', fault: { kind: 'delay', ms: LATENCY_MS } });

    const now = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    const today = now().slice(0, 10);
    const lines = [
      ['001102000010000', '1', '10.00', 1000],
      ['XJ01CAA040A001010100005', '2', '18.60', 3720],
      ['XJ01DCC047A001010102934', '1', '35.00', 3500],
      ['002501000010000', '1', '20.00', 2000],
      ['002503010120000', '1', '25.00', 2500],
      ['ZA04AAS0157010109527', '1', '29.90', 2990],
    ] as const;
    const totals = { medfee_sumamt: 0, fund_pay_sumamt: 0, acct_pay: 0, count: 0 };

    async function sequence(i: number): Promise<void> {
      ok(await personInfo(client, ctx, { certType: '02', certNo: chen.idNo }));
      const { mdtrt_id } = ok(
        await registerOutpatient(client, ctx, {
          psn_no: chen.psnNo,
          insutype: '310',
          begntime: now(),
          mdtrt_cert_type: '02',
          mdtrt_cert_no: chen.idNo,
          ipt_otp_no: `BENCH${i}`,
          atddr_no: 'D1',
          dr_name: '林医生',
          dept_code: '0301',
          dept_name: '内科',
          caty: 'A03',
        }),
      );
      ok(
        await uploadOutpatientVisit(client, ctx, {
          mdtrtinfo: { mdtrt_id, psn_no: chen.psnNo, med_type: '11', begntime: now(), dise_codg: 'J06.900', dise_name: '急性上呼吸道感染' },
          diseinfo: [
            {
              diag_type: '1',
              diag_srt_no: 1,
              diag_code: 'J06.900',
              diag_name: '急性上呼吸道感染',
              diag_dept: '内科',
              dise_dor_no: 'D1',
              dise_dor_name: '林医生',
              diag_time: now(),
            },
          ],
        }),
      );
      ok(
        await uploadOutpatientFees(client, ctx, {
          feedetail: lines.map(([code, cnt, pric, amount], n) => ({
            feedetl_sn: `FD${n}`,
            mdtrt_id,
            psn_no: chen.psnNo,
            chrg_bchno: 'CB',
            fee_ocur_time: now(),
            med_list_codg: code,
            medins_list_codg: `H${n}`,
            det_item_fee_sumamt: amount,
            cnt,
            pric,
            bilg_dept_codg: '0301',
            bilg_dept_name: '内科',
            bilg_dr_codg: 'D1',
            bilg_dr_name: '林医生',
          })),
        }),
      );
      const input = {
        psn_no: chen.psnNo,
        mdtrt_cert_type: '02' as const,
        mdtrt_cert_no: chen.idNo,
        med_type: '11',
        medfee_sumamt: 15710,
        psn_setlway: '01',
        mdtrt_id,
        chrg_bchno: 'CB',
        insutype: '310',
        acct_used_flag: '0' as const,
      };
      ok(await preSettleOutpatient(client, ctx, input));
      const { setlinfo } = ok(await settleOutpatient(client, ctx, input));
      totals.medfee_sumamt += setlinfo.medfee_sumamt;
      totals.fund_pay_sumamt += setlinfo.fund_pay_sumamt;
      totals.acct_pay += setlinfo.acct_pay;
      totals.count += 1;
      const reconciled = ok(
        await reconcileTotals(client, ctx, {
          insutype: '310',
          clr_type: '11',
          setl_optins: '350200',
          stmt_begndate: today,
          stmt_enddate: today,
          medfee_sumamt: fen(totals.medfee_sumamt),
          fund_pay_sumamt: fen(totals.fund_pay_sumamt),
          acct_pay: fen(totals.acct_pay),
          fixmedins_setl_cnt: totals.count,
        }),
      );
      if (!reconciled.balanced) throw new Error('bench/nhsa: 3201 does not balance with the settlements booked');
    }

    const wall: number[] = [];
    const beyondLatency: number[] = [];
    const clientOwn: number[] = [];
    for (let i = 0; i < SEQUENCES + WARMUP; i++) {
      timed.roundTripMs = 0;
      const started = performance.now();
      await sequence(i);
      const elapsed = performance.now() - started;
      if (i < WARMUP) continue;
      wall.push(elapsed);
      beyondLatency.push(elapsed - CALLS_PER_SEQUENCE * LATENCY_MS);
      clientOwn.push(elapsed - timed.roundTripMs);
    }
    return { wall: summary(wall), beyondLatency: summary(beyondLatency), clientOverhead: summary(clientOwn) };
  } finally {
    await fx.centre.close();
  }
}

// ---- 2. centre throughput ------------------------------------------------------------------------------

interface WorkerJob {
  config: ReturnType<CentreFixture['stationConfig']>;
  code: string;
  seconds: number;
  concurrency: number;
  idNo: string;
}

/** A worker: one institution, `concurrency` requests in flight, for `seconds`; reports how many were answered ok. */
async function runWorker(job: WorkerJob): Promise<void> {
  const client = new NhsaClient(
    { ...job.config, institution: { code: job.code, name: '基准测试医院', admdvs: '350200' } },
    { msgids: new MemoryMsgIdAllocator(job.code) },
  );
  const signNo = ok(await signIn(client, { operator }, { opterNo: 'sf001', mac: '', ip: '10.1.2.3' })).signNo;
  const ctx = { operator, signNo };
  parentPort?.postMessage({ ready: true });
  await new Promise<void>((resolve) => parentPort?.once('message', () => resolve()));
  const end = performance.now() + job.seconds * 1000;
  let answered = 0;
  let failed = 0;
  async function loop(): Promise<void> {
    while (performance.now() < end) {
      const outcome = await personInfo(client, ctx, { certType: '02', certNo: job.idNo });
      if (outcome.kind === 'ok') answered += 1;
      else failed += 1;
    }
  }
  await Promise.all(Array.from({ length: job.concurrency }, loop));
  parentPort?.postMessage({ answered, failed });
}

async function throughput(profile: 'sm' | 'plain') {
  const fx = await startCentreWithFreshKeys({ profile });
  try {
    const workers = Array.from({ length: WORKERS }, (_, i) => {
      const job: WorkerJob = {
        config: fx.stationConfig({ timeoutMs: 30_000 }),
        code: `H3502039${String(i).padStart(4, '0')}`,
        seconds: SECONDS,
        concurrency: CONCURRENCY,
        idNo: chen.idNo,
      };
      return new Worker(new URL(import.meta.url), { workerData: job });
    });
    const messages = (worker: Worker) => {
      const queue: unknown[] = [];
      const waiting: ((m: unknown) => void)[] = [];
      worker.on('message', (m) => (waiting.length ? waiting.shift()!(m) : queue.push(m)));
      worker.on('error', (error) => {
        throw error;
      });
      return () => new Promise<unknown>((resolve) => (queue.length ? resolve(queue.shift()) : waiting.push(resolve)));
    };
    const next = workers.map(messages);
    await Promise.all(next.map((n) => n()));
    const started = performance.now();
    const busyBefore = performance.eventLoopUtilization();
    for (const worker of workers) worker.postMessage('go');
    const results = (await Promise.all(next.map((n) => n()))) as { answered: number; failed: number }[];
    const seconds = (performance.now() - started) / 1000;
    // How busy the centre's thread was: near 1 means the centre itself is the limit, lower means the clients are.
    const centreBusy = Math.round(performance.eventLoopUtilization(busyBefore).utilization * 100) / 100;
    await Promise.all(workers.map((w) => w.terminate()));
    const answered = results.reduce((n, r) => n + r.answered, 0);
    const failed = results.reduce((n, r) => n + r.failed, 0);
    if (failed > 0) throw new Error(`bench/nhsa: ${failed} requests were not answered ok`);
    return { requestsPerSecond: Math.round(answered / seconds), answered, centreBusy, workers: WORKERS, concurrency: CONCURRENCY };
  } finally {
    await fx.centre.close();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const sequence = await outpatientSequences();
  const sm = await throughput('sm');
  const plain = await throughput('plain');

  const row = (label: string, s: { p50: number; p95: number; max: number }) =>
    `${label.padEnd(44)}${s.p50.toFixed(2).padStart(9)}${s.p95.toFixed(2).padStart(9)}${s.max.toFixed(2).padStart(9)}`;
  console.log(
    `Outpatient sequence (1101 2201 2203 2204 2206 2207 3201), ${SEQUENCES} sequences, ${LATENCY_MS} ms simulated latency per answer`,
  );
  console.log(`${''.padEnd(44)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'max ms'.padStart(9)}`);
  console.log(row('wall time per sequence', sequence.wall));
  console.log(row('wall − simulated latency (client + centre)', sequence.beyondLatency));
  console.log(row('client overhead (outside the HTTP trips)', sequence.clientOverhead));
  console.log(
    `Centre throughput, 1101 from ${WORKERS} worker thread(s) x ${CONCURRENCY} in flight, ${SECONDS} s, ${os.availableParallelism()} CPUs`,
  );
  const line = (label: string, t: { requestsPerSecond: number; centreBusy: number }) =>
    console.log(
      `  ${label.padEnd(34)}${t.requestsPerSecond.toLocaleString('en-US').padStart(7)} requests/s   centre thread busy ${Math.round(t.centreBusy * 100)} %`,
    );
  line('sm profile (SM4 + SM2 both ways):', sm);
  line('plain profile:', plain);
  console.log(
    JSON.stringify({
      bench: 'nhsa',
      latencyMs: LATENCY_MS,
      sequence: { calls: CALLS_PER_SEQUENCE, ...sequence },
      throughput: { sm, plain },
      goals: { clientOverheadP95Ms: 20, requestsPerSecond: 1000 },
      durationS: Math.round((performance.now() - started) / 100) / 10,
    }),
  );
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  runWorker(workerData as WorkerJob).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
