/**
 * Field-level encryption of personal data at rest (names, ID numbers, insurance details). SM4-CBC with a fresh
 * IV per value and an HMAC-SM3 tag (encrypt-then-MAC), because CBC alone would let a tampered file decrypt to
 * garbage silently. Keys live in the data dir's key file and stay in the core: the renderer never sees them.
 *
 * Sealed format: "s1:" + base64(iv[16] || ciphertext || tag[32]).
 */
import fs from 'node:fs';
import path from 'node:path';
import { hmacSm3, randomBytes, sm4DecryptCbc, sm4EncryptCbc } from '../../insurance/crypto';
import { writeFileDurably } from './durable-file';
import { NATIVE_SM, type SmPrimitives } from './sm-native';
import { indexText } from './hospital-lookup';

const JS_SM: SmPrimitives = { hmacSm3, sm4EncryptCbc, sm4DecryptCbc };

const PREFIX = 's1:';
/** A sealed value inside a longer text (an audit row's code, then its sealed words). */
const SEALED_TOKEN = /s1:[A-Za-z0-9+/]+={0,2}/g;
const IV = 16;
const TAG = 32;

export interface DataKeys {
  encKey: Uint8Array; // 16 bytes, SM4
  macKey: Uint8Array; // 32 bytes, HMAC-SM3 for tags
  indexKey: Uint8Array; // 32 bytes, HMAC-SM3 for blind indexes (separate so tags and indexes never collide)
}

export class FieldCipher {
  private readonly sm: SmPrimitives;

  /** `primitives`: the runtime's native SM4 / SM3 where it has them (tests pin the JS ones to compare). */
  constructor(
    private readonly keys: DataKeys,
    primitives: SmPrimitives | null = NATIVE_SM,
  ) {
    if (keys.encKey.length !== 16) throw new Error('SM4 data key must be 16 bytes');
    this.sm = primitives ?? JS_SM;
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV);
    const ct = this.sm.sm4EncryptCbc(this.keys.encKey, iv, new TextEncoder().encode(plaintext));
    const body = concat(iv, ct);
    const tag = this.sm.hmacSm3(this.keys.macKey, body);
    return PREFIX + Buffer.from(concat(body, tag)).toString('base64');
  }

  open(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) throw new Error('not a sealed value');
    const raw = new Uint8Array(Buffer.from(sealed.slice(PREFIX.length), 'base64'));
    if (raw.length < IV + 16 + TAG) throw new Error('sealed value too short');
    const body = raw.subarray(0, raw.length - TAG);
    const tag = raw.subarray(raw.length - TAG);
    if (!constantTimeEqual(this.sm.hmacSm3(this.keys.macKey, body), tag)) throw new Error('sealed value failed its integrity check');
    const plain = this.sm.sm4DecryptCbc(this.keys.encKey, body.subarray(0, IV), body.subarray(IV));
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  }

  sealJson(value: unknown): string {
    return this.seal(JSON.stringify(value));
  }

  openJson<T>(sealed: string): T {
    return JSON.parse(this.open(sealed)) as T;
  }

  /**
   * A remote's own words (a centre's err_msg can quote a patient's name or ID number) or any free text: empty
   * stays empty, anything else is sealed. `openText` opens every sealed value inside a text and leaves the rest
   * (rows written before a column was sealed hold clear text).
   */
  sealText(text: string): string {
    return text ? this.seal(text) : '';
  }

  openText(text: string): string {
    return text.includes(PREFIX) ? text.replace(SEALED_TOKEN, (token) => this.open(token)) : text;
  }

  /** Deterministic keyed digest for equality look-ups (e.g. by ID number) without storing the value. */
  blindIndex(value: string): string {
    return Buffer.from(this.sm.hmacSm3(this.keys.indexKey, indexText(value))).toString('hex');
  }
}

/** Whether a stored text is a sealed value (a row written before a column was sealed holds clear text). */
export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

export const DATA_KEY_FILE = 'station-data.key';

/** What the caller knows about the database the keys are for: a new key can only serve an empty one. */
export interface DataKeyGuard {
  databaseHoldsRows: boolean;
  /** Named in the refusal so IT knows which backup (and its key file) to restore. */
  latestBackup: string | null;
}

/**
 * Loads the data keys of a data dir, creating them (0600, written durably) only for a database that holds
 * nothing yet. A missing key file beside a database with rows is a lost or misplaced key: a fresh key would
 * seal new rows under a key the old rows do not open, so the start stops and names what to restore. Losing
 * this file makes the sealed fields unreadable: backups keep a copy apart from the database. Without a guard
 * (unit tests on a fresh temp dir) the key is created as needed; the station and the CLI always pass one.
 */
export function loadOrCreateDataKeys(keysDir: string, guard?: DataKeyGuard): DataKeys {
  const file = path.join(keysDir, DATA_KEY_FILE);
  if (!fs.existsSync(file)) {
    if (guard?.databaseHoldsRows) throw new Error(missingKeyMessage(file, guard.latestBackup));
    const fresh = { v: 1, enc: hex(randomBytes(16)), mac: hex(randomBytes(32)), index: hex(randomBytes(32)) };
    writeFileDurably(file, JSON.stringify(fresh));
  }
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { v: number; enc: string; mac: string; index: string };
  if (parsed.v !== 1) throw new Error(`unsupported data key file version ${parsed.v}`);
  return { encKey: unhex(parsed.enc), macKey: unhex(parsed.mac), indexKey: unhex(parsed.index) };
}

function missingKeyMessage(file: string, latestBackup: string | null): string {
  const restore = latestBackup
    ? `请从最近的备份恢复密钥文件（备份 ${latestBackup} 旁的 keys 目录），或用 “npm run station -- backup restore ${latestBackup}” 恢复数据库及其密钥。`
    : '未找到任何备份：请找回原密钥文件后再启动。';
  return `数据密钥文件 ${file} 不存在，而数据库中已有数据：不会生成新密钥（新密钥打不开已加密的数据）。${restore}`;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
