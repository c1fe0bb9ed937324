/**
 * SM2 signatures (GB/T 32918.2, "SM3withSM2"): e = SM3(Z_A || M) with Z_A over the signer's user id and public
 * key, signature = r || s as 64 raw bytes — the form NHSA gateways carry Base64-encoded in `cainfo`.
 *
 * sm-crypto-v2 does the curve arithmetic (pure JS). This module owns the input checks the library leaves out:
 * key formats, r and s in [1, n-1] (otherwise s + n would verify too), exact signature length, and
 * "verify never throws". It also computes the digest e itself, on bytes: the library would turn a 4 KB message
 * into hex and back and recompute Z_A for every call, which cost more than a third of a signature.
 */
import { sm2 as sm2Lib, sm3 as sm3Lib } from 'sm-crypto-v2';
import { bytesOf, fromHex, toHex } from './encoding';

/** The user id GB/T 35276 recommends and every NHSA gateway seen in public code actually uses. */
export const DEFAULT_SM2_USER_ID = '1234567812345678';

/** Order of the sm2p256v1 base point. */
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

const PRIVATE_KEY_RE = /^[0-9a-fA-F]{64}$/;
const PUBLIC_KEY_RE = /^04[0-9a-fA-F]{128}$/;
const USER_ID_RE = /^[\x20-\x7e]{1,255}$/;

export interface Sm2Options {
  /** Distinguishing identifier hashed into Z_A; printable ASCII. Default "1234567812345678". */
  userId?: string;
}

export interface Sm2KeyPair {
  privateKeyHex: string;
  /** Uncompressed point 04 || X || Y, 130 hex characters. */
  publicKeyHex: string;
}

export function sm2GenerateKeyPair(): Sm2KeyPair {
  const { privateKey, publicKey } = sm2Lib.generateKeyPairHex();
  return { privateKeyHex: privateKey, publicKeyHex: publicKey };
}

function checkPrivateKey(privateKeyHex: string): string {
  if (!PRIVATE_KEY_RE.test(privateKeyHex)) throw new Error('SM2 private key must be 64 hex characters');
  if (!sm2IsValidPrivateKey(privateKeyHex)) throw new Error('SM2 private key out of range');
  return privateKeyHex.toLowerCase();
}

/** 64 hex characters, 1 <= d <= n-2 (d = n-1 has no inverse of 1 + d, so the standard excludes it). */
export function sm2IsValidPrivateKey(privateKeyHex: string): boolean {
  if (typeof privateKeyHex !== 'string' || !PRIVATE_KEY_RE.test(privateKeyHex)) return false;
  const d = BigInt(`0x${privateKeyHex}`);
  return d >= 1n && d <= N - 2n;
}

function checkUserId(userId: string): string {
  if (!USER_ID_RE.test(userId)) throw new Error('SM2 user id must be 1..255 printable ASCII characters');
  return userId;
}

/** Uncompressed 04 || X || Y whose point lies on sm2p256v1 — checked once at configuration, not per message. */
export function sm2IsValidPublicKey(publicKeyHex: string): boolean {
  if (typeof publicKeyHex !== 'string' || !PUBLIC_KEY_RE.test(publicKeyHex)) return false;
  try {
    return sm2Lib.verifyPublicKey(publicKeyHex);
  } catch {
    return false;
  }
}

/** A small map that forgets its oldest entry: keys and user ids are few and long-lived. */
function boundedCache<V>(limit: number, compute: (key: string) => V): (key: string) => V {
  const entries = new Map<string, V>();
  return (key) => {
    let value = entries.get(key);
    if (value === undefined) {
      value = compute(key);
      if (entries.size >= limit) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      entries.set(key, value);
    }
    return value;
  };
}

// Z_A depends only on public values (the curve, the public key, the user id), so caching it is safe.
const zaOf = boundedCache(16, (key) => {
  const [userId = '', publicKeyHex = ''] = key.split('\n');
  return sm2Lib.getZ(publicKeyHex, userId);
});

/** e = SM3(Z_A || M), 32 bytes. */
function digest(message: Uint8Array, publicKeyHex: string, userId: string): Uint8Array {
  const za = zaOf(`${userId}\n${publicKeyHex.toLowerCase()}`);
  const input = new Uint8Array(za.length + message.length);
  input.set(za);
  input.set(message, za.length);
  return fromHex(sm3Lib(input));
}

// Deriving the public key costs one scalar multiplication, and a station signs with one key.
const publicKeyOf = boundedCache(4, (privateKeyHex) => sm2Lib.getPublicKeyFromPrivateKey(privateKeyHex));

interface NoncePoint {
  k: bigint;
  x1: bigint;
}

/**
 * Signing nonces computed ahead of time: k from the platform CSPRNG (via the library) and x1 = x(k·G). The scalar
 * multiplication is most of a signature's cost; doing it while the station waits on the network takes it off the
 * cashier's path. Why this is safe:
 * - each k is drawn fresh and used once: take() removes it from the pool before it is handed to the signer, so no
 *   code path can see it twice; an empty pool falls back to a nonce computed on the spot;
 * - k never leaves process memory — it is as secret as the private key, kept in the same place, never logged,
 *   stored or sent; worker threads and child processes get their own module instance, hence their own pool;
 * - precomputing (k, k·G) does not change the distribution of k, so the signatures are exactly those of
 *   GB/T 32918.2 with a random k (and verify with any implementation).
 * The pool is off unless the application asks for it (sm2PrecomputeNonces).
 */
const noncePool = {
  points: [] as NoncePoint[],
  target: 0,
  refillScheduled: false,
};

const MAX_POOLED_NONCES = 256;

function freshNonce(): NoncePoint {
  const point = sm2Lib.getPoint();
  return { k: point.k, x1: point.x1 };
}

function takeNonce(): NoncePoint | undefined {
  const nonce = noncePool.points.pop();
  if (nonce && noncePool.points.length < noncePool.target) scheduleRefill();
  return nonce;
}

/** Tops the pool up a few nonces per turn of the event loop, so a refill never holds up I/O for long. */
function scheduleRefill(): void {
  if (noncePool.refillScheduled) return;
  noncePool.refillScheduled = true;
  const immediate = setImmediate(() => {
    noncePool.refillScheduled = false;
    for (let i = 0; i < 4 && noncePool.points.length < noncePool.target; i++) noncePool.points.push(freshNonce());
    if (noncePool.points.length < noncePool.target) scheduleRefill();
  });
  immediate.unref();
}

/**
 * Keeps `count` signing nonces precomputed (0 turns the pool off and wipes it). Fills synchronously now; after
 * that, every signature that uses a pooled nonce schedules its replacement on a later turn of the event loop.
 */
export function sm2PrecomputeNonces(count: number): void {
  if (!Number.isSafeInteger(count) || count < 0 || count > MAX_POOLED_NONCES) {
    throw new RangeError(`nonce pool size must be 0..${MAX_POOLED_NONCES}`);
  }
  noncePool.target = count;
  if (count === 0) noncePool.points.length = 0;
  while (noncePool.points.length < count) noncePool.points.push(freshNonce());
}

/** How many precomputed nonces are ready (for tests and diagnostics). */
export function sm2PooledNonceCount(): number {
  return noncePool.points.length;
}

function sign(message: Uint8Array | string, privateKeyHex: string, opts: Sm2Options, nonce: NoncePoint | undefined): Uint8Array {
  const d = checkPrivateKey(privateKeyHex);
  const userId = checkUserId(opts.userId ?? DEFAULT_SM2_USER_ID);
  const e = digest(bytesOf(message), publicKeyOf(d), userId);
  // With a nonce the library pops it from this one-element array; if that nonce is unusable (r = 0 or
  // r + k = n, probability ~2^-255) it draws a fresh one itself.
  const signatureHex = sm2Lib.doSignature(e, d, { hash: false, der: false, ...(nonce ? { pointPool: [nonce] } : {}) });
  return fromHex(signatureHex);
}

/** SM3withSM2 signature, 64 bytes r || s. Strings are signed as their UTF-8 bytes. Throws on a bad key. */
export function sm2Sign(message: Uint8Array | string, privateKeyHex: string, opts: Sm2Options = {}): Uint8Array {
  return sign(message, privateKeyHex, opts, takeNonce());
}

/**
 * Known-answer tests only: signs with the given nonce k, which makes the signature reproducible. A reused or
 * predictable k reveals the private key — never call this outside a test.
 */
export function sm2SignWithFixedNonceForKnownAnswerTest(
  message: Uint8Array | string,
  privateKeyHex: string,
  kHex: string,
  opts: Sm2Options = {},
): Uint8Array {
  const kPoint = sm2Lib.getPublicKeyFromPrivateKey(checkPrivateKey(kHex));
  const x1 = BigInt(`0x${kPoint.slice(2, 66)}`);
  return sign(message, privateKeyHex, opts, { k: BigInt(`0x${kHex}`), x1 });
}

// Verification keys are few and long-lived (the centre's, a payment platform's), and a precomputed point table
// makes verification about 6x faster.
const verificationPoint = boundedCache(8, (publicKeyHex) => sm2Lib.precomputePublicKey(publicKeyHex));

/** True only for a well-formed signature that verifies; false (never an exception) for anything else. */
export function sm2Verify(
  message: Uint8Array | string,
  signature: Uint8Array,
  publicKeyHex: string,
  opts: Sm2Options = {},
): boolean {
  try {
    if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
    if (!sm2IsValidPublicKey(publicKeyHex)) return false;
    const userId = opts.userId ?? DEFAULT_SM2_USER_ID;
    if (typeof userId !== 'string' || !USER_ID_RE.test(userId)) return false;
    const r = BigInt(`0x${toHex(signature.subarray(0, 32))}`);
    const s = BigInt(`0x${toHex(signature.subarray(32))}`);
    if (r < 1n || r >= N || s < 1n || s >= N) return false;
    const key = publicKeyHex.toLowerCase();
    const e = digest(bytesOf(message), key, userId);
    return sm2Lib.doVerifySignature(e, toHex(signature), verificationPoint(key), { hash: false, der: false });
  } catch {
    return false;
  }
}
