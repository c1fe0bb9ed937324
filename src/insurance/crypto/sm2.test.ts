import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import smCrypto from 'sm-crypto';
import { sm2 as sm2Lib } from 'sm-crypto-v2';
import { afterEach, describe, expect, it } from 'vitest';
import { missing } from '../../../test/harness/prerequisites';
import { fromHex, toHex, utf8 } from './encoding';
import {
  sm2GenerateKeyPair,
  sm2HasVerificationTable,
  sm2IsValidPrivateKey,
  sm2IsValidPublicKey,
  sm2PooledNonceCount,
  sm2PrecomputeNonces,
  sm2Sign,
  sm2SignWithFixedNonceForKnownAnswerTest,
  sm2Verify,
  sm2VerifyByPathForTest,
  sm2VerifyDigestForTest,
} from './sm2';

const { sm2: sm2Reference } = smCrypto;

// GB/T 32918 / GM/T 0003.5 example on sm2p256v1 (protocol-research.md §6).
const STD = {
  d: '3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8',
  publicKey:
    '04' +
    '09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020' +
    'CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13',
  k: '59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21',
  message: 'message digest',
  signature:
    'F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3' + 'B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA',
};
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

const be32Hex = (n: bigint) => n.toString(16).padStart(64, '0');
const be32 = (n: bigint) => fromHex(be32Hex(n));

describe('SM2 — GB/T 32918 example (user id 1234567812345678)', () => {
  it('signing with the standard k gives the standard (r, s)', () => {
    const signature = sm2SignWithFixedNonceForKnownAnswerTest(STD.message, STD.d, STD.k);
    expect(toHex(signature)).toBe(STD.signature.toLowerCase());
  });

  it('the standard (r, s) verifies against the standard public key', () => {
    expect(sm2Verify(STD.message, fromHex(STD.signature), STD.publicKey)).toBe(true);
  });

  it('a different user id changes Z_A, so the standard signature no longer verifies', () => {
    expect(sm2Verify(STD.message, fromHex(STD.signature), STD.publicKey, { userId: 'ALICE123@YAHOO.COM' })).toBe(false);
  });
});

describe('SM2 sign / verify', () => {
  const keys = sm2GenerateKeyPair();
  const message = '{"data":{"psn_name":"张𠮷","mdtrt_cert_no":"350203199001011234"}}';

  it('generates 64-hex private keys and uncompressed 130-hex public keys', () => {
    expect(keys.privateKeyHex).toMatch(/^[0-9a-f]{64}$/);
    expect(keys.publicKeyHex).toMatch(/^04[0-9a-f]{128}$/);
    expect(sm2GenerateKeyPair().privateKeyHex).not.toBe(keys.privateKeyHex);
  });

  it('signs 64 bytes that verify, with the default and with a configured user id', () => {
    const signature = sm2Sign(message, keys.privateKeyHex);
    expect(signature.length).toBe(64);
    expect(sm2Verify(message, signature, keys.publicKeyHex)).toBe(true);
    expect(sm2Verify(utf8.encode(message), signature, keys.publicKeyHex)).toBe(true);
    const withId = sm2Sign(message, keys.privateKeyHex, { userId: 'CLIENTID12345678' });
    expect(sm2Verify(message, withId, keys.publicKeyHex, { userId: 'CLIENTID12345678' })).toBe(true);
    expect(sm2Verify(message, withId, keys.publicKeyHex)).toBe(false);
  });

  it('rejects a changed message, a flipped bit, another key', () => {
    const signature = sm2Sign(message, keys.privateKeyHex);
    expect(sm2Verify(`${message} `, signature, keys.publicKeyHex)).toBe(false);
    for (const bit of [0, 255, 256, 511]) {
      const tampered = signature.slice();
      tampered[bit >> 3]! ^= 0x80 >> (bit & 7);
      expect(sm2Verify(message, tampered, keys.publicKeyHex)).toBe(false);
    }
    expect(sm2Verify(message, signature, sm2GenerateKeyPair().publicKeyHex)).toBe(false);
  });

  it('returns false, without throwing, on malformed signatures, keys and user ids', () => {
    const signature = sm2Sign(message, keys.privateKeyHex);
    const r = signature.subarray(0, 32);
    const s = signature.subarray(32);
    const concat = (a: Uint8Array, b: Uint8Array) => new Uint8Array([...a, ...b]);
    const offCurve = keys.publicKeyHex.slice(0, -1) + (keys.publicKeyHex.endsWith('0') ? '1' : '0');
    const cases: [Uint8Array, string, string | undefined][] = [
      [signature.subarray(0, 63), keys.publicKeyHex, undefined],
      [concat(signature, new Uint8Array([0])), keys.publicKeyHex, undefined],
      [concat(be32(0n), s), keys.publicKeyHex, undefined],
      [concat(r, be32(0n)), keys.publicKeyHex, undefined],
      [concat(be32(N), s), keys.publicKeyHex, undefined],
      [concat(r, be32(N)), keys.publicKeyHex, undefined],
      [signature, offCurve, undefined],
      [signature, keys.publicKeyHex.slice(2), undefined],
      [signature, '02' + keys.publicKeyHex.slice(2, 66), undefined],
      [signature, 'not a key', undefined],
      [signature, keys.publicKeyHex, ''],
      [signature, keys.publicKeyHex, '用户'],
    ];
    for (const [sig, pub, userId] of cases) {
      expect(sm2Verify(message, sig, pub, userId === undefined ? {} : { userId })).toBe(false);
    }
    expect(sm2Verify(message, 'abc' as unknown as Uint8Array, keys.publicKeyHex)).toBe(false);
    expect(sm2Verify(message, signature, null as unknown as string)).toBe(false);
  });

  it('throws a clear error on a bad private key or user id when signing', () => {
    expect(() => sm2Sign(message, 'abc')).toThrow(/64 hex/);
    expect(() => sm2Sign(message, '0'.repeat(64))).toThrow(/out of range/);
    expect(() => sm2Sign(message, (N - 1n).toString(16))).toThrow(/out of range/);
    expect(() => sm2Sign(message, keys.privateKeyHex, { userId: '' })).toThrow(/user id/);
  });

  it('validates keys for configuration checks', () => {
    expect(sm2IsValidPrivateKey(keys.privateKeyHex)).toBe(true);
    expect(sm2IsValidPrivateKey((N - 2n).toString(16))).toBe(true);
    expect(sm2IsValidPrivateKey((N - 1n).toString(16))).toBe(false);
    expect(sm2IsValidPrivateKey('0'.repeat(64))).toBe(false);
    expect(sm2IsValidPrivateKey(keys.privateKeyHex.slice(1))).toBe(false);
    expect(sm2IsValidPublicKey(keys.publicKeyHex)).toBe(true);
    expect(sm2IsValidPublicKey(STD.publicKey)).toBe(true);
    expect(sm2IsValidPublicKey(STD.publicKey.slice(0, -1) + '4')).toBe(false);
    expect(sm2IsValidPublicKey(keys.privateKeyHex)).toBe(false);
  });

  it('verifies correctly across more keys than it keeps precomputed', () => {
    const pairs = Array.from({ length: 10 }, () => sm2GenerateKeyPair());
    const signatures = pairs.map((pair) => sm2Sign(message, pair.privateKeyHex));
    for (let round = 0; round < 2; round++) {
      pairs.forEach((pair, i) => {
        expect(sm2Verify(message, signatures[i]!, pair.publicKeyHex)).toBe(true);
        expect(sm2Verify(message, signatures[(i + 1) % pairs.length]!, pair.publicKeyHex)).toBe(false);
      });
    }
  });

  it('keeps signing with the right key when the station alternates keys', () => {
    const other = sm2GenerateKeyPair();
    for (const pair of [keys, other, keys]) {
      expect(sm2Verify(message, sm2Sign(message, pair.privateKeyHex), pair.publicKeyHex)).toBe(true);
    }
  });
});

describe('SM2 precomputed nonce pool', () => {
  const keys = sm2GenerateKeyPair();
  const message = utf8.encode('{"feedetail":[{"det_item_fee_sumamt":"18.60"}]}');
  afterEach(() => sm2PrecomputeNonces(0));

  it('is off by default and fills to the requested size', () => {
    expect(sm2PooledNonceCount()).toBe(0);
    sm2PrecomputeNonces(8);
    expect(sm2PooledNonceCount()).toBe(8);
    expect(() => sm2PrecomputeNonces(257)).toThrow(RangeError);
    sm2PrecomputeNonces(0);
    expect(sm2PooledNonceCount()).toBe(0);
  });

  it('uses each nonce once: equal messages get different r, and every signature verifies in sm-crypto', () => {
    sm2PrecomputeNonces(16);
    const rs = new Set<string>();
    for (let i = 0; i < 16; i++) {
      const signature = sm2Sign(message, keys.privateKeyHex);
      expect(sm2PooledNonceCount()).toBe(15 - i);
      rs.add(toHex(signature.subarray(0, 32)));
      expect(sm2Reference.doVerifySignature(message, toHex(signature), keys.publicKeyHex, { hash: true, der: false })).toBe(true);
    }
    expect(rs.size).toBe(16);
    // Empty pool: still signs, with a nonce computed on the spot.
    expect(sm2Verify(message, sm2Sign(message, keys.privateKeyHex), keys.publicKeyHex)).toBe(true);
  });

  it('refills in the background after a pooled nonce is used', async () => {
    sm2PrecomputeNonces(4);
    sm2Sign(message, keys.privateKeyHex);
    sm2Sign(message, keys.privateKeyHex);
    expect(sm2PooledNonceCount()).toBe(2);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sm2PooledNonceCount()).toBe(4);
  });
});

describe('SM2 cross-checks with sm-crypto (independent implementation)', () => {
  const bytes = utf8.encode('{"data":{"psn_name":"李𠮷","balc":"1234.56"}}');

  it.each([undefined, 'CLIENTID12345678'])('our signature verifies in sm-crypto (user id %s)', (userId) => {
    const keys = sm2GenerateKeyPair();
    for (let i = 0; i < 5; i++) {
      const signature = sm2Sign(bytes, keys.privateKeyHex, userId ? { userId } : {});
      expect(sm2Reference.doVerifySignature(bytes, toHex(signature), keys.publicKeyHex, { hash: true, der: false, userId })).toBe(true);
    }
  });

  it.each([undefined, 'CLIENTID12345678'])("sm-crypto's signature verifies with ours (user id %s)", (userId) => {
    const { privateKey, publicKey } = sm2Reference.generateKeyPairHex();
    for (let i = 0; i < 5; i++) {
      const signatureHex = sm2Reference.doSignature(bytes, privateKey, { hash: true, der: false, userId });
      expect(sm2Verify(bytes, fromHex(signatureHex), publicKey, userId ? { userId } : {})).toBe(true);
    }
  });
});

// Node's OpenSSL 3 imports an SM2-curve key as a plain EC key and then runs ECDSA, not SM2 (OpenSSL 3 dropped
// EVP_PKEY_set_alias_type, and Node has no other way to select the SM2 signature scheme). So the independent SM2
// is the OpenSSL 3 command line: `pkeyutl -rawin -digest sm3 -pkeyopt distid:…` signs and verifies real SM2.
/** SubjectPublicKeyInfo: id-ecPublicKey on the SM2 curve (1.2.156.10197.1.301), then the 65-byte point. */
const SM2_SPKI_PREFIX = '3059301306072a8648ce3d020106082a811ccf5501822d034200';
const DISTID = '1234567812345678';

function openssl(args: string[], cwd: string): { ok: boolean; out: string } {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

/** DER SEQUENCE { INTEGER r, INTEGER s } ⇄ r‖s (32 bytes each), the form the NHSA envelope carries. */
function derSignature(rs: Uint8Array): Buffer {
  const int = (b: Uint8Array) => {
    let v = Buffer.from(b);
    while (v.length > 1 && v[0] === 0 && v[1]! < 0x80) v = v.subarray(1);
    if (v[0]! >= 0x80) v = Buffer.concat([Buffer.from([0]), v]);
    return Buffer.concat([Buffer.from([0x02, v.length]), v]);
  };
  const body = Buffer.concat([int(rs.subarray(0, 32)), int(rs.subarray(32))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}
function rawSignature(der: Buffer): Uint8Array {
  expect(der[0]).toBe(0x30);
  const parts: Buffer[] = [];
  for (let i = 2; i < der.length;) {
    expect(der[i]).toBe(0x02);
    const len = der[i + 1]!;
    parts.push(der.subarray(i + 2, i + 2 + len));
    i += 2 + len;
  }
  const fixed = (v: Buffer) => Buffer.concat([Buffer.alloc(32), v]).subarray(-32);
  return new Uint8Array(Buffer.concat(parts.map(fixed)));
}

describe.skipIf(missing('openssl'))('SM2 cross-check with the OpenSSL 3 command line (distinguishing id 1234567812345678)', () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const tmp = () => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sm2-openssl-')));
  const messages = ['abc', 'message digest', '{"infno":"2207","input":{"data":{"mdtrt_id":"M1"}}}', '医保结算 ¥12.30'];

  it('OpenSSL verifies our signatures, and refuses them over another message', () => {
    const cwd = tmp();
    const keys = sm2GenerateKeyPair();
    fs.writeFileSync(path.join(cwd, 'pub.der'), Buffer.from(SM2_SPKI_PREFIX + keys.publicKeyHex, 'hex'));
    for (const [i, message] of messages.entries()) {
      fs.writeFileSync(path.join(cwd, `m${i}`), message);
      fs.writeFileSync(path.join(cwd, `s${i}`), derSignature(sm2Sign(message, keys.privateKeyHex)));
      const verify = (file: string) =>
        openssl(
          [
            'pkeyutl',
            '-verify',
            '-pubin',
            '-inkey',
            'pub.der',
            '-keyform',
            'DER',
            '-rawin',
            '-digest',
            'sm3',
            '-pkeyopt',
            `distid:${DISTID}`,
            '-in',
            file,
            '-sigfile',
            `s${i}`,
          ],
          cwd,
        );
      expect(verify(`m${i}`)).toEqual({ ok: true, out: expect.stringContaining('Signature Verified Successfully') });
      fs.writeFileSync(path.join(cwd, 'other'), `${message}.`);
      expect(verify('other').ok).toBe(false);
    }
  });

  it('we verify OpenSSL signatures, and refuse them over another message', () => {
    const cwd = tmp();
    expect(openssl(['genpkey', '-algorithm', 'SM2', '-out', 'key.pem'], cwd).ok).toBe(true);
    expect(openssl(['pkey', '-in', 'key.pem', '-pubout', '-outform', 'DER', '-out', 'pub.der'], cwd).ok).toBe(true);
    const publicKeyHex = toHex(new Uint8Array(fs.readFileSync(path.join(cwd, 'pub.der')).subarray(-65)));
    expect(sm2IsValidPublicKey(publicKeyHex)).toBe(true);
    for (const [i, message] of messages.entries()) {
      fs.writeFileSync(path.join(cwd, `m${i}`), message);
      const signed = openssl(
        [
          'pkeyutl',
          '-sign',
          '-inkey',
          'key.pem',
          '-rawin',
          '-digest',
          'sm3',
          '-pkeyopt',
          `distid:${DISTID}`,
          '-in',
          `m${i}`,
          '-out',
          `s${i}`,
        ],
        cwd,
      );
      expect(signed.ok).toBe(true);
      const signature = rawSignature(fs.readFileSync(path.join(cwd, `s${i}`)));
      expect(sm2Verify(message, signature, publicKeyHex)).toBe(true);
      expect(sm2Verify(`${message}.`, signature, publicKeyHex)).toBe(false);
      expect(sm2Verify(message, signature, publicKeyHex, { userId: '1234567812345679' })).toBe(false);
    }
  });
});

// sm2Verify computes s·G + t·P_A from fixed-base tables (one for G, one per key) with signed-digit windows and
// checks x1 without inverting Z. The library's own verification (each multiplication from scratch, x1 by
// inversion) is the reference it must agree with, on random inputs and on the edges of the recoding.
describe('SM2 verify with precomputed tables agrees with the plain library path', () => {
  const G_HEX =
    '04' +
    '32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7' +
    'bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0';
  const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
  const A = P - 3n;
  const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
  const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;
  const modPow = (a: bigint, e: bigint, m: bigint) => {
    let result = 1n;
    for (let base = mod(a, m), x = e; x > 0n; x >>= 1n, base = (base * base) % m) if (x & 1n) result = (result * base) % m;
    return result;
  };
  const randomScalar = () => mod(BigInt(`0x${toHex(crypto.getRandomValues(new Uint8Array(40)))}`), N - 1n) + 1n;
  const pointOf = (hex: string) => sm2Lib.precomputePublicKey(hex, 1);
  const hexOf = (point: ReturnType<typeof pointOf>) => `04${be32Hex(point.x)}${be32Hex(point.y)}`;
  const G = pointOf(G_HEX);
  const both = (e: bigint, r: bigint, s: bigint, publicKeyHex: string) => [
    sm2VerifyDigestForTest('tables', e, r, s, publicKeyHex),
    sm2VerifyDigestForTest('library', e, r, s, publicKeyHex),
  ];
  /** The digest e that makes (r, s) a valid signature under the key (computed with the library's plain arithmetic). */
  const digestMaking = (r: bigint, s: bigint, publicKeyHex: string) => {
    const x1 = G.multiply(s).add(pointOf(publicKeyHex).multiply((r + s) % N)).x;
    return mod(r - x1, N);
  };

  it('on random keys and messages: valid, tampered, other-key and random signatures', () => {
    const other = sm2GenerateKeyPair();
    for (let k = 0; k < 6; k++) {
      const pair =
        k % 2
          ? sm2GenerateKeyPair()
          : (() => {
              const ref = sm2Reference.generateKeyPairHex();
              return { privateKeyHex: ref.privateKey, publicKeyHex: ref.publicKey };
            })();
      for (let m = 0; m < 8; m++) {
        const message = crypto.getRandomValues(new Uint8Array(1 + Math.floor(Math.random() * 3000)));
        const signature =
          m % 2
            ? sm2Sign(message, pair.privateKeyHex)
            : fromHex(sm2Reference.doSignature(message, pair.privateKeyHex, { hash: true, der: false }));
        const tampered = signature.slice();
        const bit = Math.floor(Math.random() * 512);
        tampered[bit >> 3]! ^= 0x80 >> (bit & 7);
        const changedMessage = message.slice();
        changedMessage[Math.floor(Math.random() * message.length)]! ^= 1;
        const cases: [Uint8Array, Uint8Array, string, boolean][] = [
          [message, signature, pair.publicKeyHex, true],
          [message, tampered, pair.publicKeyHex, false],
          [changedMessage, signature, pair.publicKeyHex, false],
          [message, signature, other.publicKeyHex, false],
          [message, crypto.getRandomValues(new Uint8Array(64)), pair.publicKeyHex, false],
        ];
        for (const [msg, sig, key, expected] of cases) {
          expect(sm2VerifyByPathForTest('tables', msg, sig, key)).toBe(expected);
          expect(sm2VerifyByPathForTest('library', msg, sig, key)).toBe(expected);
          expect(sm2Verify(msg, sig, key)).toBe(expected);
        }
      }
    }
  });

  it('verifies a key the plain way the first time and builds its table on the second', () => {
    const keys = sm2GenerateKeyPair();
    const message = 'once';
    const signature = sm2Sign(message, keys.privateKeyHex);
    expect(sm2Verify(message, signature, keys.publicKeyHex)).toBe(true);
    expect(sm2HasVerificationTable(keys.publicKeyHex)).toBe(false);
    expect(sm2Verify(message, signature, keys.publicKeyHex.toUpperCase().replace(/^04/, '04'))).toBe(true);
    expect(sm2HasVerificationTable(keys.publicKeyHex)).toBe(true);
    expect(sm2Verify(message, signature, keys.publicKeyHex)).toBe(true);
    expect(sm2Verify(`${message}!`, signature, keys.publicKeyHex)).toBe(false);
    // An invalid key never gets a table, however often it is tried.
    const offCurve = keys.publicKeyHex.slice(0, -1) + (keys.publicKeyHex.endsWith('0') ? '1' : '0');
    for (let i = 0; i < 3; i++) expect(sm2Verify(message, signature, offCurve)).toBe(false);
    expect(sm2HasVerificationTable(offCurve)).toBe(false);
  });

  it('on scalars at the edges of the signed-digit recoding', () => {
    const key = sm2GenerateKeyPair().publicKeyHex;
    const ones = (bits: number) => (1n << BigInt(bits)) - 1n;
    const repeat = (digit: bigint, windows: number) => {
      let v = 0n;
      for (let i = 0; i < windows; i++) v = (v << 10n) | digit;
      return v;
    };
    const scalars = [
      1n,
      2n,
      511n,
      512n,
      513n,
      1023n,
      1024n,
      N - 1n,
      N - 2n,
      (N - 1n) / 2n,
      1n << 255n,
      ones(255),
      repeat(512n, 25),
      repeat(1023n, 25),
      repeat(511n, 25),
      repeat(513n, 25),
      randomScalar(),
    ];
    for (const s of scalars) {
      for (const t of [scalars[(scalars.indexOf(s) + 3) % scalars.length]!, randomScalar()]) {
        const r = mod(t - s, N);
        if (r === 0n) continue;
        const e = digestMaking(r, s, key);
        expect(both(e, r, s, key)).toEqual([true, true]);
        expect(both(mod(e + 1n, N), r, s, key)).toEqual([false, false]);
      }
    }
  });

  it('through doubling, cancellation and infinity inside the sum', () => {
    // Key = G (d = 1): both tables hold the same points. s = 5 and t's low digit 5: the first addition of the
    // key's part is 5G + 5G (a doubling); t's low digit -5: 5G + (-5G) passes through infinity.
    for (const t of [5n + (7n << 20n), 3n * 1024n - 5n]) {
      const s = 5n;
      const r = mod(t - s, N);
      const e = digestMaking(r, s, G_HEX);
      expect(both(e, r, s, G_HEX)).toEqual([true, true]);
    }
    // s·G + t·P_A = infinity (s + t·d = 0 mod n): must be rejected by both, whatever e is.
    const d = randomScalar();
    const key = hexOf(G.multiply(d));
    const s = randomScalar();
    const t = mod(-s * modPow(d, N - 2n, N), N);
    const r = mod(t - s, N);
    expect(both(randomScalar(), r, s, key)).toEqual([false, false]);
    // t = 0 (r + s = n) is rejected before any arithmetic.
    expect(both(randomScalar(), N - s, s, key)).toEqual([false, false]);
  });

  it('accepts x1 >= n (the second candidate, unreachable with random nonces)', () => {
    // A point R with n <= x1 < p, then a key P_A = t^-1 (R - s·G) and e = r - x1 so that (r, s) verifies.
    const pointWithXAtLeast = (from: bigint) => {
      for (let x = from; ; x++) {
        const rhs = mod(x ** 3n + A * x + B, P);
        const y = modPow(rhs, (P + 1n) / 4n, P); // a square root, as p = 3 mod 4
        if ((y * y) % P === rhs) return { x1: x, y };
      }
    };
    const { x1, y } = pointWithXAtLeast(N + 12345n);
    expect(x1 >= N && x1 < P).toBe(true);
    const R = pointOf(`04${be32Hex(x1)}${be32Hex(y)}`);
    for (let i = 0; i < 4; i++) {
      const s = randomScalar();
      const r = randomScalar();
      const t = (r + s) % N;
      if (t === 0n) continue;
      const key = hexOf(R.subtract(G.multiply(s)).multiply(modPow(t, N - 2n, N)));
      const e = mod(r - x1, N);
      expect(both(e, r, s, key)).toEqual([true, true]);
      expect(both(mod(e + 1n, N), r, s, key)).toEqual([false, false]);
    }
  });
});
