/**
 * npm run bench -- pay-channel
 *
 * The station's payment client against the simulated unified payment platform on 127.0.0.1 (real HTTP,
 * HMAC-SHA256 both ways, the platform's SQLite ledger in memory, no injected latency):
 *   1. micropay round trips, one at a time and 8 in flight (each a new order paid from its own wallet);
 *   2. order-query round trips, one at a time;
 *   3. precreate → the patient pays → the notification reaches the station's listener: the precreate round
 *      trip, and the time from payment to the verified notification being stored (p50/p95).
 * Prints a table, then one JSON line.
 */
import { startPayChannel } from '../src/simulators/pay-channel';
import { PayChannelClient, startNotifyListener, type PaymentNotification } from '../src/insurance/pay-channel';
import { fen } from '../src/shared/money';

const MCH = '1900000109';
const KEY = 'BENCHKEY0123456789ABCDEFGHIJKLMN';
const N = Number(process.env.BENCH_PAY_N ?? 1000);
const WARMUP = 50;

function summary(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  const r = (n: number) => Math.round(n * 1000) / 1000;
  return { n: s.length, p50: r(at(50)), p95: r(at(95)), p99: r(at(99)), max: r(s.at(-1)!) };
}

async function main() {
  const sim = await startPayChannel({ merchants: [{ mchId: MCH, key: KEY }], seed: 1, notifyScheduleMs: [100, 100, 100] });
  const client = new PayChannelClient({ baseUrl: sim.url, mchId: MCH, key: KEY, timeoutMs: 5_000 });
  const waiting = new Map<string, (at: number) => void>();
  const listener = await startNotifyListener({
    config: { baseUrl: sim.url, mchId: MCH, key: KEY },
    onPayment: (n: PaymentNotification) => waiting.get(n.payment.outTradeNo)?.(performance.now()),
  });
  let serial = 0;
  const micropayOnce = async () => {
    const id = `B${++serial}`;
    const wallet = sim.control.wallet({ channel: serial % 2 ? 'WECHAT' : 'ALIPAY', balanceFen: 10_000 });
    const t0 = performance.now();
    const outcome = await client.micropay({ outTradeNo: id, totalFee: fen(1230), subject: '门诊缴费', authCode: wallet.authCode });
    const elapsed = performance.now() - t0;
    if (outcome.kind !== 'ok' || outcome.value.status !== 'paid') throw new Error(`micropay ${id}: ${JSON.stringify(outcome)}`);
    return { id, elapsed };
  };

  try {
    for (let i = 0; i < WARMUP; i++) await micropayOnce();

    const micropay: number[] = [];
    const ids: string[] = [];
    const seqStart = performance.now();
    for (let i = 0; i < N; i++) {
      const { id, elapsed } = await micropayOnce();
      micropay.push(elapsed);
      ids.push(id);
    }
    const seqRate = N / ((performance.now() - seqStart) / 1000);

    const concStart = performance.now();
    let done = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (done < N) {
          done++;
          await micropayOnce();
        }
      }),
    );
    const concRate = N / ((performance.now() - concStart) / 1000);

    const query: number[] = [];
    const qStart = performance.now();
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const outcome = await client.query(ids[i % ids.length]!);
      query.push(performance.now() - t0);
      if (outcome.kind !== 'ok' || outcome.value.state !== 'paid') throw new Error(`query: ${JSON.stringify(outcome)}`);
    }
    const queryRate = N / ((performance.now() - qStart) / 1000);

    const precreate: number[] = [];
    const notify: number[] = [];
    const qrRounds = Math.min(N, 300);
    for (let i = 0; i < qrRounds + WARMUP; i++) {
      const id = `Q${i}`;
      const t0 = performance.now();
      const order = await client.precreate({
        outTradeNo: id,
        totalFee: fen(5630),
        subject: '门诊自付',
        expiresAt: new Date(Date.now() + 300_000),
        notifyUrl: listener.url,
      });
      const t1 = performance.now();
      if (order.kind !== 'ok') throw new Error(`precreate: ${JSON.stringify(order)}`);
      const notified = new Promise<number>((resolve) => waiting.set(id, resolve));
      const paidAt = performance.now();
      const paid = sim.control.payQr(order.value.codeUrl, sim.control.wallet({ channel: 'WECHAT', balanceFen: 5630 }).authCode);
      if (!paid.paid) throw new Error(`payQr: ${JSON.stringify(paid)}`);
      const t2 = await notified;
      waiting.delete(id);
      if (i >= WARMUP) {
        precreate.push(t1 - t0);
        notify.push(t2 - paidAt);
      }
    }

    const rows = [
      ['micropay round trip (sequential)', summary(micropay)],
      ['order query round trip (sequential)', summary(query)],
      ['precreate round trip', summary(precreate)],
      ['patient pays → notification stored', summary(notify)],
    ] as const;
    console.log(
      `${'measure (ms)'.padEnd(40)} ${'n'.padStart(6)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}`,
    );
    for (const [name, s] of rows) {
      console.log(
        `${name.padEnd(40)} ${String(s.n).padStart(6)} ${s.p50.toFixed(3).padStart(8)} ${s.p95.toFixed(3).padStart(8)} ${s.p99.toFixed(3).padStart(8)} ${s.max.toFixed(3).padStart(8)}`,
      );
    }
    const rate = (n: number) => Math.round(n);
    console.log(
      `micropay: ${rate(seqRate)} round trips/s sequential, ${rate(concRate)}/s with 8 in flight; query: ${rate(queryRate)} round trips/s`,
    );
    console.log(
      JSON.stringify({
        bench: 'pay-channel',
        n: N,
        micropayPerSec: rate(seqRate),
        micropayPerSecConcurrent8: rate(concRate),
        queryPerSec: rate(queryRate),
        micropayP50Ms: rows[0][1].p50,
        micropayP95Ms: rows[0][1].p95,
        queryP50Ms: rows[1][1].p50,
        queryP95Ms: rows[1][1].p95,
        precreateP50Ms: rows[2][1].p50,
        precreateP95Ms: rows[2][1].p95,
        paidToNotifyP50Ms: rows[3][1].p50,
        paidToNotifyP95Ms: rows[3][1].p95,
      }),
    );
  } finally {
    await listener.close();
    await sim.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
