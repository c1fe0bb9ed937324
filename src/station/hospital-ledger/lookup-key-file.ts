/**
 * The hospital-wide lookup key as files (IT's `npm run station -- keys …`): made once per hospital into a key file
 * of its own, then imported into every station's ledger key file and the office's (`lookupKeys`, the current first;
 * the older ones stay so the office still finds rows tokened before a rotation). Written durably, owner-only.
 */
import fs from 'node:fs';
import { HospitalLookupKeySchema, newHospitalLookupKey, writeFileDurably, type HospitalLookupKey } from '../security';
import { LedgerKeysSchema, type LedgerKeys } from './postgres';

/** A new hospital key into `file`; an existing file is never overwritten (it may be the key every station holds). */
export function createLookupKeyFile(file: string, now: Date): HospitalLookupKey {
  if (fs.existsSync(file)) throw new Error(`${file} 已存在：不会覆盖（它可能正是各工作站在用的全院查询密钥）`);
  const key = newHospitalLookupKey(now);
  writeFileDurably(file, `${JSON.stringify(key, null, 2)}\n`);
  return key;
}

export function readLookupKeyFile(file: string): HospitalLookupKey {
  return HospitalLookupKeySchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

function readKeys(keyFile: string): LedgerKeys {
  return LedgerKeysSchema.parse(JSON.parse(fs.readFileSync(keyFile, 'utf8')));
}

/**
 * Puts `key` first in a ledger key file's lookup keys (a rotation: the older ones stay behind it). The same key again
 * changes nothing; another secret under an id already there is refused: one id, one key, or old tokens would lie.
 */
export function importLookupKey(keyFile: string, key: HospitalLookupKey): { keyIds: string[]; changed: boolean } {
  const keys = readKeys(keyFile);
  const held = keys.lookupKeys ?? [];
  const same = held.find((k) => k.id === key.id);
  if (same && same.key !== key.key) throw new Error(`密钥编号 ${key.id} 已用于另一把密钥：拒绝导入`);
  if (held[0]?.id === key.id) return { keyIds: held.map((k) => k.id), changed: false };
  const lookupKeys = [key, ...held.filter((k) => k.id !== key.id)];
  writeFileDurably(keyFile, `${JSON.stringify({ ...keys, lookupKeys }, null, 2)}\n`);
  return { keyIds: lookupKeys.map((k) => k.id), changed: true };
}

/** The key file's current lookup key, to hand to another station or the office. */
export function exportLookupKey(keyFile: string, out: string): HospitalLookupKey {
  const current = readKeys(keyFile).lookupKeys?.[0];
  if (!current) throw new Error(`${keyFile} 中没有全院查询密钥`);
  if (fs.existsSync(out)) throw new Error(`${out} 已存在：不会覆盖`);
  writeFileDurably(out, `${JSON.stringify(current, null, 2)}\n`);
  return current;
}

/** The ids of a key file's lookup keys, the current first (never the secrets). */
export function lookupKeyIds(keyFile: string): string[] {
  return (readKeys(keyFile).lookupKeys ?? []).map((k) => k.id);
}
