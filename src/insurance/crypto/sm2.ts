/**
 * SM2 signatures (GB/T 32918.2, "SM3withSM2"): e = SM3(Z_A || M) with Z_A over the signer's user id and public
 * key, signature = r || s as 64 raw bytes — the form NHSA gateways carry Base64-encoded in `cainfo`.
 *
 * sm-crypto-v2 does the curve arithmetic (pure JS: its points, additions and constant-time multiplication). This
 * module owns the input checks the library leaves out: key formats, r and s in [1, n-1] (otherwise s + n would
 * verify too), exact signature length, and "verify never throws". It also computes the digest e itself, on bytes:
 * the library would turn a 4 KB message into hex and back and recompute Z_A for every call, which cost more than
 * a third of a signature. And it arranges the arithmetic for the two hot paths:
 * - sign: k·G by the library's constant-time multiplication over a wider precomputed table of G than the library
 *   keeps, and s = (1 + d)^-1 · (k - r·d) mod n with (1 + d)^-1 computed once per key;
 * - verify: s·G + t·P_A from fixed-base tables (one for G, one per verification key, built once and cached), so a
 *   verification is ~50 point additions and no doubling and no field inversion (see FixedBaseTable).
 */
import { sm2 as sm2Lib, sm3 as sm3Lib } from 'sm-crypto-v2';
import { bytesOf, fromHex, toHex } from './encoding';
import { randomBytes } from './random';

/** The user id GB/T 35276 recommends and every NHSA gateway seen in public code actually uses. */
export const DEFAULT_SM2_USER_ID = '1234567812345678';

/** Order of the sm2p256v1 base point. */
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
/** The sm2p256v1 field prime. */
const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
/** The base point G, uncompressed. */
const G_HEX =
  '04' +
  '32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7' +
  'bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0';

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

/** e = SM3(Z_A || M) as an integer (GB/T 32918.2 takes the 256-bit digest as e directly, unreduced). */
function digest(message: Uint8Array, publicKeyHex: string, userId: string): bigint {
  const za = zaOf(`${userId}\n${publicKeyHex.toLowerCase()}`);
  const input = new Uint8Array(za.length + message.length);
  input.set(za);
  input.set(message, za.length);
  return BigInt(`0x${sm3Lib(input)}`);
}

const mod = (a: bigint, m: bigint) => {
  const r = a % m;
  return r < 0n ? r + m : r;
};

/** a^e mod m by square-and-multiply; the exponent is public (n - 2 for an inverse). */
function modPow(a: bigint, e: bigint, m: bigint): bigint {
  let result = 1n;
  let base = mod(a, m);
  for (let x = e; x > 0n; x >>= 1n) {
    if (x & 1n) result = (result * base) % m;
    base = (base * base) % m;
  }
  return result;
}

const be32Hex = (n: bigint) => n.toString(16).padStart(64, '0');

/** A library point (sm2p256v1, projective X:Y:Z with x = X/Z). */
type Point = ReturnType<typeof sm2Lib.precomputePublicKey>;

/** The point of an uncompressed public key, without the library's default 4,224-point table (window size 1). */
const pointOf = (publicKeyHex: string): Point => sm2Lib.precomputePublicKey(publicKeyHex, 1);

interface Signer {
  d: bigint;
  publicKeyHex: string;
  /** (1 + d)^-1 mod n: as secret as d, kept in the same place. */
  inverseOfOnePlusD: bigint;
}

// Deriving the public key costs one scalar multiplication and the inverse an exponentiation, and a station signs
// with one key.
const signerOf = boundedCache(4, (privateKeyHex): Signer => {
  const d = BigInt(`0x${privateKeyHex}`);
  return {
    d,
    publicKeyHex: sm2Lib.getPublicKeyFromPrivateKey(privateKeyHex),
    inverseOfOnePlusD: modPow(1n + d, N - 2n, N),
  };
});

/**
 * G with a window-10 table for the library's constant-time multiplication (1.8 MB, built on the first signature):
 * k·G in 27 additions instead of 33 with the library's own window-8 table of G.
 */
let signingBase: Point | undefined;
function signingBasePoint(): Point {
  signingBase ??= sm2Lib.precomputePublicKey(G_HEX, 10);
  return signingBase;
}

/**
 * A nonce in [1, n-1] from the platform CSPRNG: 320 random bits reduced mod n-1, plus one (FIPS 186's "extra random
 * bits" method; the bias is below 2^-64).
 */
function randomScalar(): bigint {
  return mod(BigInt(`0x${toHex(randomBytes(40))}`), N - 1n) + 1n;
}

interface NoncePoint {
  k: bigint;
  x1: bigint;
}

/**
 * Signing nonces computed ahead of time: k from the platform CSPRNG (randomScalar) and x1 = x(k·G). The scalar
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
  const k = randomScalar();
  // The library's multiply is constant-time and returns Z = 1, so .x needs no inversion.
  return { k, x1: signingBasePoint().multiply(k).x };
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
  const signer = signerOf(checkPrivateKey(privateKeyHex));
  const userId = checkUserId(opts.userId ?? DEFAULT_SM2_USER_ID);
  const e = digest(bytesOf(message), signer.publicKeyHex, userId);
  // GB/T 32918.2 §6.1 A3–A6. A nonce that gives r = 0, r + k = n or s = 0 (probability ~2^-255 each) is
  // dropped and a fresh one drawn, as the standard says.
  for (let next = nonce ?? freshNonce(); ; next = freshNonce()) {
    const r = (e + next.x1) % N;
    if (r === 0n || r + next.k === N) continue;
    const s = (signer.inverseOfOnePlusD * mod(next.k - r * signer.d, N)) % N;
    if (s === 0n) continue;
    return fromHex(be32Hex(r) + be32Hex(s));
  }
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

/**
 * Fixed-base multiplication table for a point Q that is multiplied often (G, the centre's public key): for each
 * W-bit window i it holds j·2^(W·i)·Q for j = 1..2^(W-1). A scalar recoded into signed digits d_i in
 * [-2^(W-1), 2^(W-1)] is then the sum of one table entry (or its negation) per non-zero digit: 26 additions for
 * W = 10 and a 256-bit scalar, with no doubling. The additions are the library's complete formulas, so equal,
 * opposite and infinite intermediate points need no special case.
 *
 * Not constant-time (it skips zero digits and indexes by the scalar), which is why only verification uses it: every
 * input of a verification is public. Signing keeps the library's constant-time multiplication.
 */
interface FixedBaseTable {
  windowBits: number;
  windows: Point[][];
}

/** 10-bit windows: 26 windows × 512 points = 13,312 points (~2.5 MB of heap, ~50–70 ms of CPU to build) per table. */
const TABLE_WINDOW_BITS = 10;

function buildFixedBaseTable(point: Point, windowBits: number): FixedBaseTable {
  const half = 1 << (windowBits - 1);
  // ceil(257 / W) windows: the top digit then never exceeds 2^(W-1), so the recoding never carries out of the table.
  const count = Math.ceil(257 / windowBits);
  const windows: Point[][] = [];
  let base = point;
  for (let i = 0; i < count; i++) {
    const row: Point[] = [base];
    for (let j = 1; j < half; j++) row.push(row[j - 1]!.add(base));
    windows.push(row);
    base = row[half - 1]!.double(); // 2^(W-1)·base doubled: the next window's 2^W·base
  }
  return { windowBits, windows };
}

/** Adds k·Q (0 <= k < 2^256) to `acc` (undefined: the point at infinity, not yet materialised). */
function addMultiple(acc: Point | undefined, table: FixedBaseTable, k: bigint): Point | undefined {
  const w = BigInt(table.windowBits);
  const size = 1 << table.windowBits;
  const half = size >> 1;
  const mask = BigInt(size - 1);
  let rest = k;
  for (const row of table.windows) {
    if (rest === 0n) break;
    let digit = Number(rest & mask);
    rest >>= w;
    if (digit > half) {
      digit -= size;
      rest += 1n;
    }
    if (digit === 0) continue;
    const entry = digit > 0 ? row[digit - 1]! : row[-digit - 1]!.negate();
    acc = acc === undefined ? entry : acc.add(entry);
  }
  if (rest !== 0n) throw new Error('SM2: scalar out of the table range');
  return acc;
}

let baseTable: FixedBaseTable | undefined;
function gTable(): FixedBaseTable {
  baseTable ??= buildFixedBaseTable(pointOf(G_HEX), TABLE_WINDOW_BITS);
  return baseTable;
}

/**
 * Verification keys are few and long-lived (the centre's, perhaps a payment platform's). A key gets its table on
 * its second verification: one seen once (a key checked at configuration, a test's throwaway key) is verified the
 * plain way (~2.5 ms) and costs no table (~50–70 ms to build, ~2.5 MB). At most four tables are kept, the oldest
 * dropped first; a key is validated (on the curve) before its table is built, so a key found here needs no check.
 */
const MAX_TABLES = 4;
const tables = new Map<string, FixedBaseTable>();
const seenOnce = new Set<string>();

function forgetOldest<K>(collection: Map<K, unknown> | Set<K>, limit: number): void {
  if (collection.size < limit) return;
  const oldest = collection.keys().next();
  if (!oldest.done) collection.delete(oldest.value);
}

function buildVerificationTable(publicKeyHex: string): FixedBaseTable {
  if (!sm2IsValidPublicKey(publicKeyHex)) throw new Error('SM2 public key is not a point of sm2p256v1');
  const table = buildFixedBaseTable(pointOf(publicKeyHex), TABLE_WINDOW_BITS);
  seenOnce.delete(publicKeyHex);
  forgetOldest(tables, MAX_TABLES);
  tables.set(publicKeyHex, table);
  return table;
}

/** The key's table, building it if `build` says so or the key was seen before; undefined: verify the plain way. */
function verificationTable(publicKeyHex: string, build: 'always' | 'when-seen-twice'): FixedBaseTable | undefined {
  const table = tables.get(publicKeyHex);
  if (table) return table;
  if (build === 'always' || seenOnce.has(publicKeyHex)) return buildVerificationTable(publicKeyHex);
  forgetOldest(seenOnce, 16);
  seenOnce.add(publicKeyHex);
  return undefined;
}

/** Whether a verification table is kept for the key (tests and diagnostics). */
export function sm2HasVerificationTable(publicKeyHex: string): boolean {
  return tables.has(publicKeyHex.toLowerCase());
}

/**
 * GB/T 32918.2 §7.1 B5–B7 with the tables: t = r + s mod n (t = 0 rejects), (x1, y1) = s·G + t·P_A (infinity
 * rejects), accept iff r = e + x1 mod n. x1 = X/Z is compared without inverting Z: x1 ≡ r - e (mod n) and
 * 0 <= x1 < p < 2n leave two candidates c, c + n, and x1 = c iff X = c·Z (mod p).
 */
function verifyWithTables(e: bigint, r: bigint, s: bigint, table: FixedBaseTable): boolean {
  const t = (r + s) % N;
  if (t === 0n) return false;
  const sum = addMultiple(addMultiple(undefined, gTable(), s), table, t);
  if (sum === undefined || sum.is0()) return false;
  const X = mod(sum.X, P);
  const Z = mod(sum.Z, P);
  const c = mod(r - e, N);
  if ((c * Z) % P === X) return true;
  return c + N < P && ((c + N) * Z) % P === X;
}

/** The library's own verification on the same digest: each multiplication from scratch, x1 by inversion. */
function verifyWithLibrary(e: bigint, r: bigint, s: bigint, publicKeyHex: string): boolean {
  if (!sm2IsValidPublicKey(publicKeyHex)) return false;
  return sm2Lib.doVerifySignature(fromHex(be32Hex(e)), be32Hex(r) + be32Hex(s), publicKeyHex, { hash: false, der: false });
}

/** 'auto': the table once the key has one or is seen twice, else the library. The others force one path (tests). */
type VerifyPath = 'auto' | 'tables' | 'library';

function verifyDigest(path: VerifyPath, e: bigint, r: bigint, s: bigint, key: string): boolean {
  const table = path === 'library' ? undefined : verificationTable(key, path === 'tables' ? 'always' : 'when-seen-twice');
  return table ? verifyWithTables(e, r, s, table) : verifyWithLibrary(e, r, s, key);
}

function verify(message: Uint8Array | string, signature: Uint8Array, publicKeyHex: string, opts: Sm2Options, path: VerifyPath): boolean {
  try {
    if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
    if (typeof publicKeyHex !== 'string' || !PUBLIC_KEY_RE.test(publicKeyHex)) return false;
    const userId = opts.userId ?? DEFAULT_SM2_USER_ID;
    if (typeof userId !== 'string' || !USER_ID_RE.test(userId)) return false;
    const r = BigInt(`0x${toHex(signature.subarray(0, 32))}`);
    const s = BigInt(`0x${toHex(signature.subarray(32))}`);
    if (r < 1n || r >= N || s < 1n || s >= N) return false;
    const key = publicKeyHex.toLowerCase();
    const e = digest(bytesOf(message), key, userId);
    return verifyDigest(path, e, r, s, key);
  } catch {
    return false;
  }
}

/** True only for a well-formed signature that verifies; false (never an exception) for anything else. */
export function sm2Verify(message: Uint8Array | string, signature: Uint8Array, publicKeyHex: string, opts: Sm2Options = {}): boolean {
  return verify(message, signature, publicKeyHex, opts, 'auto');
}

/**
 * Tests only: the same checks as sm2Verify, then either the table path (what sm2Verify runs for a key it has seen
 * before; the table is built at once) or the library's plain verification, so the two can be compared.
 */
export function sm2VerifyByPathForTest(
  path: 'tables' | 'library',
  message: Uint8Array | string,
  signature: Uint8Array,
  publicKeyHex: string,
  opts: Sm2Options = {},
): boolean {
  return verify(message, signature, publicKeyHex, opts, path);
}

/**
 * Tests only: verification of (r, s) against a given digest e, skipping SM3 — lets a test construct inputs the
 * hash would make unreachable (x1 >= n). Throws on malformed input instead of returning false.
 */
export function sm2VerifyDigestForTest(path: 'tables' | 'library', e: bigint, r: bigint, s: bigint, publicKeyHex: string): boolean {
  if (r < 1n || r >= N || s < 1n || s >= N) return false;
  const key = publicKeyHex.toLowerCase();
  return verifyDigest(path, e, r, s, key);
}
