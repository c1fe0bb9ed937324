/**
 * SM2 signatures (GB/T 32918.2, "SM3withSM2"): e = SM3(Z_A || M) with Z_A over the signer's user id and public
 * key, signature = r || s as 64 raw bytes — the form NHSA gateways carry Base64-encoded in `cainfo`.
 *
 * sm-crypto-v2 does the curve arithmetic (pure JS). This module owns the input checks the library leaves out:
 * key formats, r and s in [1, n-1] (otherwise s + n would verify too), exact signature length, and
 * "verify never throws".
 */
import { sm2 as sm2Lib } from 'sm-crypto-v2';
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

// Z_A needs the public key; deriving it costs one scalar multiplication, and a station signs with one key.
let cachedPublicKey: { privateKeyHex: string; publicKeyHex: string } | undefined;

function publicKeyOf(privateKeyHex: string): string {
  if (cachedPublicKey?.privateKeyHex !== privateKeyHex) {
    cachedPublicKey = { privateKeyHex, publicKeyHex: sm2Lib.getPublicKeyFromPrivateKey(privateKeyHex) };
  }
  return cachedPublicKey.publicKeyHex;
}

function sign(
  message: Uint8Array | string,
  privateKeyHex: string,
  opts: Sm2Options,
  pointPool?: { k: bigint; x1: bigint }[],
): Uint8Array {
  const d = checkPrivateKey(privateKeyHex);
  const signatureHex = sm2Lib.doSignature(bytesOf(message), d, {
    hash: true,
    der: false,
    userId: checkUserId(opts.userId ?? DEFAULT_SM2_USER_ID),
    publicKey: publicKeyOf(d),
    ...(pointPool ? { pointPool } : {}),
  });
  return fromHex(signatureHex);
}

/** SM3withSM2 signature, 64 bytes r || s. Strings are signed as their UTF-8 bytes. Throws on a bad key. */
export function sm2Sign(message: Uint8Array | string, privateKeyHex: string, opts: Sm2Options = {}): Uint8Array {
  return sign(message, privateKeyHex, opts);
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
  return sign(message, privateKeyHex, opts, [{ k: BigInt(`0x${kHex}`), x1 }]);
}

// Verification keys are few and long-lived (the centre's, a payment platform's), and a precomputed point table
// makes verification about 6x faster; a handful of entries, oldest evicted first.
const MAX_PRECOMPUTED_KEYS = 8;
const precomputedKeys = new Map<string, ReturnType<typeof sm2Lib.precomputePublicKey>>();

function verificationPoint(publicKeyHex: string): ReturnType<typeof sm2Lib.precomputePublicKey> {
  const key = publicKeyHex.toLowerCase();
  let point = precomputedKeys.get(key);
  if (!point) {
    point = sm2Lib.precomputePublicKey(key);
    if (precomputedKeys.size >= MAX_PRECOMPUTED_KEYS) {
      const oldest = precomputedKeys.keys().next().value;
      if (oldest !== undefined) precomputedKeys.delete(oldest);
    }
    precomputedKeys.set(key, point);
  }
  return point;
}

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
    return sm2Lib.doVerifySignature(bytesOf(message), toHex(signature), verificationPoint(publicKeyHex), {
      hash: true,
      der: false,
      userId,
    });
  } catch {
    return false;
  }
}
