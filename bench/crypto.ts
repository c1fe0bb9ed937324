/**
 * SM crypto cost of one protected two-ends call, on a realistic ~4 KB 2204 (fee detail upload) input:
 * station sign + encrypt, centre verify + decrypt. Our module (src/insurance/crypto over sm-crypto-v2, the
 * code that runs inside Electron) is measured side by side with `sm-crypto` in the same run, and both must
 * produce byte-identical SM4 ciphertext and cross-verifying SM2 signatures. Node's OpenSSL SM4 is reported as
 * the native ceiling (Electron's BoringSSL has no SM algorithms, so the app cannot use it).
 *
 * The machine is shared and its load moves (sm-crypto's own round trip rate moved by a third between runs), so the
 * two implementations never run one after the other as whole blocks: every figure comes from short alternating
 * rounds (order rotated each round), and the headline is the median of the per-round ratios, with their minimum
 * and maximum as the spread. The verification key is fixed, as the centre's is in production.
 *
 * The sustained figures use no precomputed nonces. "sign, warm nonce pool" is reported apart: the latency of a
 * signature when k·G was computed earlier, in idle time (sm2PrecomputeNonces) — a per-call latency, not extra
 * throughput, since the pool costs the same CPU to refill.
 *
 *   tsx bench/crypto.ts [--rounds 21] [--round-ms 250]
 *
 * The last line of output is one JSON object for CI.
 */
import { createCipheriv, createDecipheriv, createPublicKey, verify as nodeVerify } from 'node:crypto';
import smCrypto from 'sm-crypto';
import {
  fromHex,
  sm2GenerateKeyPair,
  sm2PrecomputeNonces,
  sm2Sign,
  sm2Verify,
  sm4DecryptEcb,
  sm4EncryptEcb,
  toHex,
  utf8,
} from '../src/insurance/crypto';

const { sm2: refSm2, sm4: refSm4 } = smCrypto;

function numberArg(flag: string, fallback: number): number {
  const index = process.argv.indexOf(flag);
  const value = index < 0 ? NaN : Number(process.argv[index + 1]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Round trip: rounds of ROUND_MS of CPU time for each side, alternating. */
const ROUNDS = Math.round(numberArg('--rounds', 21));
const ROUND_MS = numberArg('--round-ms', 250);
/** The single-operation figures: fewer, shorter rounds (they are context, not the headline). */
const FIGURE_ROUNDS = 5;
const FIGURE_ROUND_MS = 100;
const WARMUP_MS = 300;

/** One outpatient visit's fee lines, as the station uploads them with 2204. */
function feeDetailInput(targetBytes: number): string {
  const items = [
    ['XJ01CAA040A001010100005', '阿莫西林胶囊', '0.25g*24粒/盒', '2', '18.60'],
    ['XN02BEA011A001010104061', '对乙酰氨基酚片', '0.5g*20片/盒', '1', '6.35'],
    ['001201000010000-120100001', '普通门诊诊查费', '次', '1', '10.00'],
    ['002501000010000-250101001', '血常规（五分类）', '项', '1', '20.00'],
    ['ZA09BAX0335020301839', '复方甘草口服溶液', '100ml/瓶', '1', '12.80'],
    ['002701000010000-270100007', 'C反应蛋白测定（CRP）', '项', '1', '25.00'],
  ] as const;
  const feedetail: Record<string, string>[] = [];
  for (let i = 0; JSON.stringify({ feedetail }).length < targetBytes; i++) {
    const [code, name, spec, cnt, pric] = items[i % items.length]!;
    const sum = ((Number(cnt) * Math.round(Number(pric) * 100)) / 100).toFixed(2);
    feedetail.push({
      feedetl_sn: `FD2026112200${String(i + 1).padStart(4, '0')}`,
      mdtrt_id: '350200000000202611220000123456',
      psn_no: '35020000000000000101',
      chrg_bchno: 'CB20261122000123',
      dise_codg: 'J06.900',
      rxno: `RX2026112200${String(Math.floor(i / 3) + 1).padStart(3, '0')}`,
      rx_circ_flag: '0',
      fee_ocur_time: '2026-11-22 10:15:30',
      med_list_codg: code,
      medins_list_codg: `H${String(1000 + i)}`,
      det_item_fee_sumamt: sum,
      cnt,
      pric,
      sin_dos_dscr: spec,
      used_frqu_dscr: '每日三次',
      prd_days: '3',
      medc_way_dscr: '口服',
      bilg_dept_codg: '0301',
      bilg_dept_name: '呼吸内科门诊',
      bilg_dr_codg: 'D350200001',
      bilg_dr_name: '林医生',
      hosp_appr_flag: '1',
      exp_content: name,
    });
  }
  return JSON.stringify({ feedetail });
}

type Side = () => void;

/** Ops/s of one side in one round, by the clock and by the CPU time of this process. */
interface RoundFigure {
  wall: number;
  cpu: number;
}

/**
 * CPU time (user + system) this process has used, in ms: it does not advance while other processes hold the CPU.
 * All threads count — the work and the garbage collection it causes, which is part of its cost. (Linux reports
 * process CPU time to the microsecond but a single thread's only to the scheduler tick, too coarse here.)
 */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Runs `fn` until it has used `budgetMs` of this process's CPU time (whole operations). */
function runFor(fn: Side, budgetMs: number): RoundFigure {
  let ops = 0;
  const wall0 = performance.now();
  const cpu0 = cpuMs();
  let cpu = cpu0;
  while (cpu - cpu0 < budgetMs) {
    fn();
    ops++;
    cpu = cpuMs();
  }
  return { wall: ops / ((performance.now() - wall0) / 1000), cpu: ops / ((cpu - cpu0) / 1000) };
}

/**
 * Ops/s of several implementations of the same operation, measured in alternating rounds so that a change in the
 * machine's load hits all of them alike: each round runs every side for `roundMs` of CPU time, and the order
 * rotates from round to round so none always runs first or last. Returns each side's figure per round.
 */
function interleaved(sides: Record<string, Side>, rounds: number, roundMs: number): Record<string, RoundFigure[]> {
  const names = Object.keys(sides);
  const figures: Record<string, RoundFigure[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (const name of names) runFor(sides[name]!, WARMUP_MS); // JIT, lazily built tables
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!;
      figures[name]!.push(runFor(sides[name]!, roundMs));
    }
  }
  return figures;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Signatures per second on the hot path when every nonce was precomputed beforehand (not timed). */
function warmPoolSignsPerSecond(sign: () => void): number[] {
  const batch = 128;
  const perRound: number[] = [];
  for (let round = 0; round < FIGURE_ROUNDS; round++) {
    sm2PrecomputeNonces(batch);
    const start = cpuMs();
    for (let i = 0; i < batch; i++) sign();
    perRound.push(batch / ((cpuMs() - start) / 1000));
  }
  sm2PrecomputeNonces(0);
  return perRound;
}

function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`bench/crypto: ${message}`);
}

const SM2_SPKI_PREFIX = '3059301306072a8648ce3d020106082a811ccf5501822d034200';

/** Whether Node's OpenSSL can verify an SM2 signature (it imports SM2-curve keys as EC and runs ECDSA). */
function nodeVerifiesSm2(message: Uint8Array, signature: Uint8Array, publicKeyHex: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(SM2_SPKI_PREFIX + publicKeyHex, 'hex'), format: 'der', type: 'spki' });
    return nodeVerify(null, message, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

function main(): void {
  const started = performance.now();
  const inputJson = feeDetailInput(4096);
  const inputBytes = utf8.encode(inputJson);
  const sm4Key = utf8.encode('SIMCLIENT0000001');
  const station = sm2GenerateKeyPair();
  const centre = sm2GenerateKeyPair();

  // --- equivalence: same ciphertext, signatures cross-verify ---------------------------------------------
  const ours = sm4EncryptEcb(sm4Key, inputBytes);
  const reference = Uint8Array.from(refSm4.encrypt(inputBytes, sm4Key, { output: 'array' }) as number[]);
  const openssl = (() => {
    const c = createCipheriv('sm4-ecb', sm4Key, null);
    return new Uint8Array(Buffer.concat([c.update(inputBytes), c.final()]));
  })();
  assert(toHex(ours) === toHex(reference), 'SM4 ciphertext differs from sm-crypto');
  assert(toHex(ours) === toHex(openssl), 'SM4 ciphertext differs from OpenSSL');
  const ourSignature = sm2Sign(inputJson, station.privateKeyHex);
  const refSignatureHex = refSm2.doSignature(inputBytes, station.privateKeyHex, { hash: true, der: false });
  assert(
    refSm2.doVerifySignature(inputBytes, toHex(ourSignature), station.publicKeyHex, { hash: true, der: false }),
    'sm-crypto rejects our signature',
  );
  assert(sm2Verify(inputJson, fromHex(refSignatureHex), station.publicKeyHex), 'we reject the sm-crypto signature');
  const opensslSm2 = nodeVerifiesSm2(inputBytes, ourSignature, station.publicKeyHex);
  // The centre's answer, signed with the centre's key (ours and sm-crypto's signature verify with both).
  const centreSignature = sm2Sign(inputJson, centre.privateKeyHex);
  const refCentreSignatureHex = toHex(centreSignature);
  assert(
    refSm2.doVerifySignature(inputBytes, refCentreSignatureHex, centre.publicKeyHex, { hash: true, der: false }),
    'sm-crypto rejects the centre signature',
  );

  // --- single operations (context) ----------------------------------------------------------------------
  const refOptions = { hash: true, der: false } as const;
  const pair = (ours: Side, ref: Side, openssl?: Side) =>
    interleaved({ ours, ref, ...(openssl ? { openssl } : {}) }, FIGURE_ROUNDS, FIGURE_ROUND_MS);
  const single = {
    sign: pair(
      () => sm2Sign(inputJson, station.privateKeyHex),
      () => refSm2.doSignature(inputBytes, station.privateKeyHex, { ...refOptions, publicKey: station.publicKeyHex }),
    ),
    verify: pair(
      () => assert(sm2Verify(inputJson, centreSignature, centre.publicKeyHex), 'verify failed'),
      () => assert(refSm2.doVerifySignature(inputBytes, refCentreSignatureHex, centre.publicKeyHex, refOptions), 'verify failed'),
    ),
    encrypt: pair(
      () => sm4EncryptEcb(sm4Key, inputBytes),
      () => refSm4.encrypt(inputBytes, sm4Key, { output: 'array' }),
      () => {
        const c = createCipheriv('sm4-ecb', sm4Key, null);
        Buffer.concat([c.update(inputBytes), c.final()]);
      },
    ),
    decrypt: pair(
      () => sm4DecryptEcb(sm4Key, ours),
      () => refSm4.decrypt(reference, sm4Key, { output: 'array' }),
      () => {
        const d = createDecipheriv('sm4-ecb', sm4Key, null);
        Buffer.concat([d.update(ours), d.final()]);
      },
    ),
  };
  const signWarmPool = median(warmPoolSignsPerSecond(() => sm2Sign(inputJson, station.privateKeyHex)));

  // --- the round trip, in alternating rounds -----------------------------------------------------------------
  // One protected call: the station signs and encrypts the request; the centre's answer is decrypted and its
  // signature verified with the centre's (fixed) public key. Here the centre's answer is the same input, signed
  // with the centre's key, so both sides do exactly the work of one call.
  const trip = interleaved(
    {
      ours: () => {
        const signature = sm2Sign(inputJson, station.privateKeyHex);
        const cipher = sm4EncryptEcb(sm4Key, utf8.encode(inputJson));
        if (signature.length !== 64) throw new Error('round trip: bad signature');
        const text = utf8.decode(sm4DecryptEcb(sm4Key, cipher));
        if (!sm2Verify(text, centreSignature, centre.publicKeyHex)) throw new Error('round trip failed');
      },
      ref: () => {
        const signatureHex = refSm2.doSignature(inputBytes, station.privateKeyHex, { ...refOptions, publicKey: station.publicKeyHex });
        const cipher = refSm4.encrypt(inputBytes, sm4Key, { output: 'array' }) as number[];
        if (signatureHex.length !== 128) throw new Error('round trip: bad signature');
        const plain = refSm4.decrypt(cipher, sm4Key, { output: 'array' }) as number[];
        if (!refSm2.doVerifySignature(plain, refCentreSignatureHex, centre.publicKeyHex, refOptions)) throw new Error('round trip failed');
      },
    },
    ROUNDS,
    ROUND_MS,
  );
  const oursTrip = trip.ours!;
  const refTrip = trip.ref!;
  const spread = (values: number[]) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });
  const cpuRatios = oursTrip.map((o, i) => o.cpu / refTrip[i]!.cpu);
  const wallRatios = oursTrip.map((o, i) => o.wall / refTrip[i]!.wall);
  const cpuRatio = spread(cpuRatios);
  const wallRatio = spread(wallRatios);
  const oursRate = spread(oursTrip.map((o) => o.cpu));
  const refRate = spread(refTrip.map((o) => o.cpu));
  // CPU time over wall time, over every side and round (below 1: other processes had the CPU).
  const onCpu = [...oursTrip, ...refTrip].map((f) => f.wall / f.cpu);

  // --- output --------------------------------------------------------------------------------------------------
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(10);
  const x = (n: number) => `${n.toFixed(1)}x`;
  console.log(`SM crypto on a ${inputBytes.length}-byte 2204 fee-detail input. One protected call = station sign + encrypt,`);
  console.log(`centre answer decrypt + verify (fixed centre key). ${ROUNDS} alternating rounds, ${ROUND_MS} ms of CPU per side.`);
  console.log(`Rates are per second of this process's CPU time (a busy machine takes the CPU away, not the work); the`);
  console.log(`wall-clock ratio is shown for comparison.`);
  console.log('');
  console.log(
    `${'round'.padEnd(7)}${'first'.padEnd(11)}${'ours/s'.padStart(10)}${'sm-crypto/s'.padStart(13)}${'ratio'.padStart(9)}${'wall ratio'.padStart(12)}`,
  );
  oursTrip.forEach((o, i) => {
    console.log(
      `${String(i + 1).padStart(5)}  ${(i % 2 ? 'sm-crypto' : 'ours').padEnd(11)}${fmt(o.cpu)}${fmt(refTrip[i]!.cpu).padStart(13)}` +
        `${x(cpuRatios[i]!).padStart(9)}${x(wallRatios[i]!).padStart(12)}`,
    );
  });
  console.log(
    `round trip vs sm-crypto: median ${x(cpuRatio.median)}, min ${x(cpuRatio.min)}, max ${x(cpuRatio.max)} per CPU second ` +
      `(wall clock: median ${x(wallRatio.median)}, ${x(wallRatio.min)}–${x(wallRatio.max)})`,
  );
  console.log(
    `  ours ${fmt(oursRate.min).trim()}–${fmt(oursRate.max).trim()}/s, sm-crypto ${fmt(refRate.min).trim()}–${fmt(refRate.max).trim()}/s ` +
      `over the rounds; CPU/wall time ${Math.round(Math.min(...onCpu) * 100)}–${Math.round(Math.max(...onCpu) * 100)}%`,
  );
  console.log(`per protected call (ours): ${(1000 / oursRate.median).toFixed(2)} ms of CPU`);
  console.log('');
  const med = (figures: Record<string, RoundFigure[]>, side: string) => {
    const values = figures[side];
    return values ? median(values.map((v) => v.cpu)) : undefined;
  };
  const row = (label: string, a: number | undefined, b: number | undefined, c: number | undefined) =>
    `${label.padEnd(30)}${a === undefined ? ''.padStart(10) : fmt(a)}  ${b === undefined ? ''.padStart(10) : fmt(b)}  ` +
    `${c === undefined ? '       n/a' : fmt(c)}  ${a !== undefined && b !== undefined ? x(a / b).padStart(7) : ''}`;
  console.log(
    `median ops/s (CPU)${''.padEnd(12)}${'ours'.padStart(10)}  ${'sm-crypto'.padStart(10)}  ${'OpenSSL'.padStart(10)}  ${'ratio'.padStart(7)}`,
  );
  console.log(row('SM2 sign (SM3withSM2, Z_A)', med(single.sign, 'ours'), med(single.sign, 'ref'), undefined));
  console.log(row('SM2 sign, warm nonce pool', signWarmPool, undefined, undefined));
  console.log(row('SM2 verify (centre key)', med(single.verify, 'ours'), med(single.verify, 'ref'), undefined));
  console.log(row('SM4-ECB encrypt', med(single.encrypt, 'ours'), med(single.encrypt, 'ref'), med(single.encrypt, 'openssl')));
  console.log(row('SM4-ECB decrypt', med(single.decrypt, 'ours'), med(single.decrypt, 'ref'), med(single.decrypt, 'openssl')));
  console.log(row('sign+encrypt+decrypt+verify', oursRate.median, refRate.median, undefined));
  console.log(`identical SM4 ciphertext (ours = sm-crypto = OpenSSL): yes; SM2 signatures cross-verify: yes`);
  console.log(`OpenSSL SM2: ${opensslSm2 ? 'verifies' : 'n/a — Node treats SM2-curve keys as EC and runs ECDSA, not SM2'}`);

  const r0 = (n: number | undefined) => (n === undefined ? undefined : Math.round(n));
  const r1 = (n: number) => Math.round(n * 10) / 10;
  console.log(
    JSON.stringify({
      bench: 'crypto',
      inputBytes: inputBytes.length,
      rounds: ROUNDS,
      roundCpuMs: ROUND_MS,
      roundTripSpeedup: r1(cpuRatio.median),
      roundTripSpeedupMin: r1(cpuRatio.min),
      roundTripSpeedupMax: r1(cpuRatio.max),
      roundTripRatios: cpuRatios.map(r1),
      wallClockSpeedup: { median: r1(wallRatio.median), min: r1(wallRatio.min), max: r1(wallRatio.max) },
      roundTripMs: Math.round((1000 / oursRate.median) * 100) / 100,
      ours: {
        sign: r0(med(single.sign, 'ours')),
        signWarmPool: r0(signWarmPool),
        verify: r0(med(single.verify, 'ours')),
        encrypt: r0(med(single.encrypt, 'ours')),
        decrypt: r0(med(single.decrypt, 'ours')),
        roundTrip: r0(oursRate.median),
        roundTripMin: r0(oursRate.min),
        roundTripMax: r0(oursRate.max),
      },
      smCrypto: {
        sign: r0(med(single.sign, 'ref')),
        verify: r0(med(single.verify, 'ref')),
        encrypt: r0(med(single.encrypt, 'ref')),
        decrypt: r0(med(single.decrypt, 'ref')),
        roundTrip: r0(refRate.median),
        roundTripMin: r0(refRate.min),
        roundTripMax: r0(refRate.max),
      },
      opensslSm4: { encrypt: r0(med(single.encrypt, 'openssl')), decrypt: r0(med(single.decrypt, 'openssl')) },
      opensslSm2: opensslSm2 ? 'works' : 'unsupported',
      identicalCiphertext: true,
      signaturesCrossVerify: true,
      durationS: Math.round((performance.now() - started) / 100) / 10,
    }),
  );
}

main();
