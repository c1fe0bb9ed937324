/**
 * SM crypto cost of one protected two-ends call, on a realistic ~4 KB 2204 (fee detail upload) input:
 * station sign + encrypt, centre verify + decrypt. Our module (src/insurance/crypto over sm-crypto-v2, the
 * code that runs inside Electron) is measured side by side with `sm-crypto` in the same run, and both must
 * produce byte-identical SM4 ciphertext and cross-verifying SM2 signatures. Node's OpenSSL SM4 is reported as
 * the native ceiling (Electron's BoringSSL has no SM algorithms, so the app cannot use it).
 *
 * The sustained figures use no precomputed nonces. "sign, warm nonce pool" is reported apart: the latency of a
 * signature when k·G was computed earlier, in idle time (sm2PrecomputeNonces) — a per-call latency, not extra
 * throughput, since the pool costs the same CPU to refill.
 *
 *   tsx bench/crypto.ts [--seconds 1.5]
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

const secondsArg = Number(process.argv[process.argv.indexOf('--seconds') + 1] ?? '');
const SECONDS = Number.isFinite(secondsArg) && secondsArg > 0 ? secondsArg : 1.5;

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

/** Operations per second of `fn`, after a short warm-up. */
function opsPerSecond(fn: () => void): number {
  const warmUntil = performance.now() + 200;
  while (performance.now() < warmUntil) fn();
  let ops = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  while (performance.now() < end) {
    fn();
    ops++;
  }
  return ops / ((performance.now() - start) / 1000);
}

/** Signatures per second on the hot path when every nonce was precomputed beforehand (not timed). */
function warmPoolSignsPerSecond(sign: () => void): number {
  const batch = 256;
  let signs = 0;
  let elapsed = 0;
  const end = performance.now() + SECONDS * 1000;
  while (performance.now() < end) {
    sm2PrecomputeNonces(batch);
    const start = performance.now();
    for (let i = 0; i < batch; i++) sign();
    elapsed += performance.now() - start;
    signs += batch;
  }
  sm2PrecomputeNonces(0);
  return signs / (elapsed / 1000);
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
  assert(refSm2.doVerifySignature(inputBytes, toHex(ourSignature), station.publicKeyHex, { hash: true, der: false }), 'sm-crypto rejects our signature');
  assert(sm2Verify(inputJson, fromHex(refSignatureHex), station.publicKeyHex), 'we reject the sm-crypto signature');
  const opensslSm2 = nodeVerifiesSm2(inputBytes, ourSignature, station.publicKeyHex);

  // --- throughput ----------------------------------------------------------------------------------------
  const oursFigures = {
    sign: opsPerSecond(() => sm2Sign(inputJson, station.privateKeyHex)),
    signWarmPool: warmPoolSignsPerSecond(() => sm2Sign(inputJson, station.privateKeyHex)),
    verify: opsPerSecond(() => sm2Verify(inputJson, ourSignature, station.publicKeyHex)),
    encrypt: opsPerSecond(() => sm4EncryptEcb(sm4Key, inputBytes)),
    decrypt: opsPerSecond(() => sm4DecryptEcb(sm4Key, ours)),
    roundTrip: opsPerSecond(() => {
      const signature = sm2Sign(inputJson, station.privateKeyHex);
      const cipher = sm4EncryptEcb(sm4Key, utf8.encode(inputJson));
      const text = utf8.decode(sm4DecryptEcb(sm4Key, cipher));
      if (!sm2Verify(text, signature, station.publicKeyHex)) throw new Error('round trip failed');
    }),
  };
  const refOptions = { hash: true, der: false } as const;
  const refFigures = {
    sign: opsPerSecond(() => refSm2.doSignature(inputBytes, station.privateKeyHex, { ...refOptions, publicKey: station.publicKeyHex })),
    verify: opsPerSecond(() => refSm2.doVerifySignature(inputBytes, refSignatureHex, station.publicKeyHex, refOptions)),
    encrypt: opsPerSecond(() => refSm4.encrypt(inputBytes, sm4Key, { output: 'array' })),
    decrypt: opsPerSecond(() => refSm4.decrypt(reference, sm4Key, { output: 'array' })),
    roundTrip: opsPerSecond(() => {
      const signatureHex = refSm2.doSignature(inputBytes, station.privateKeyHex, { ...refOptions, publicKey: station.publicKeyHex });
      const cipher = refSm4.encrypt(inputBytes, sm4Key, { output: 'array' }) as number[];
      const plain = refSm4.decrypt(cipher, sm4Key, { output: 'array' }) as number[];
      if (!refSm2.doVerifySignature(plain, signatureHex, station.publicKeyHex, refOptions)) throw new Error('round trip failed');
    }),
  };
  const nativeFigures = {
    encrypt: opsPerSecond(() => {
      const c = createCipheriv('sm4-ecb', sm4Key, null);
      Buffer.concat([c.update(inputBytes), c.final()]);
    }),
    decrypt: opsPerSecond(() => {
      const d = createDecipheriv('sm4-ecb', sm4Key, null);
      Buffer.concat([d.update(ours), d.final()]);
    }),
  };

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(10);
  const row = (label: string, a: number | undefined, b: number | undefined, c: number | undefined) =>
    `${label.padEnd(30)}${a === undefined ? ''.padStart(10) : fmt(a)}  ${b === undefined ? ''.padStart(10) : fmt(b)}  ${c === undefined ? '       n/a' : fmt(c)}`;
  console.log(`SM crypto on a ${inputBytes.length}-byte 2204 fee-detail input (${SECONDS}s per figure), ops/s`);
  console.log(`${''.padEnd(30)}${'ours'.padStart(10)}  ${'sm-crypto'.padStart(10)}  ${'OpenSSL'.padStart(10)}`);
  console.log(row('SM2 sign (SM3withSM2, Z_A)', oursFigures.sign, refFigures.sign, undefined));
  console.log(row('SM2 sign, warm nonce pool', oursFigures.signWarmPool, undefined, undefined));
  console.log(row('SM2 verify', oursFigures.verify, refFigures.verify, undefined));
  console.log(row('SM4-ECB encrypt', oursFigures.encrypt, refFigures.encrypt, nativeFigures.encrypt));
  console.log(row('SM4-ECB decrypt', oursFigures.decrypt, refFigures.decrypt, nativeFigures.decrypt));
  console.log(row('sign+encrypt+decrypt+verify', oursFigures.roundTrip, refFigures.roundTrip, undefined));
  console.log(`identical SM4 ciphertext (ours = sm-crypto = OpenSSL): yes; SM2 signatures cross-verify: yes`);
  console.log(`OpenSSL SM2: ${opensslSm2 ? 'verifies' : 'n/a — Node treats SM2-curve keys as EC and runs ECDSA, not SM2'}`);
  console.log(`per protected call (ours): ${(1000 / oursFigures.roundTrip).toFixed(2)} ms of CPU`);
  console.log(`round trip vs sm-crypto: ${(oursFigures.roundTrip / refFigures.roundTrip).toFixed(1)}x`);

  const round = (figures: Record<string, number>) => Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Math.round(v)]));
  console.log(
    JSON.stringify({
      bench: 'crypto',
      inputBytes: inputBytes.length,
      ours: round(oursFigures),
      smCrypto: round(refFigures),
      opensslSm4: round(nativeFigures),
      opensslSm2: opensslSm2 ? 'works' : 'unsupported',
      roundTripMs: Math.round((1000 / oursFigures.roundTrip) * 100) / 100,
      roundTripSpeedup: Math.round((oursFigures.roundTrip / refFigures.roundTrip) * 10) / 10,
      identicalCiphertext: true,
      signaturesCrossVerify: true,
      durationS: Math.round((performance.now() - started) / 100) / 10,
    }),
  );
}

main();
