/**
 * The hospital-wide lookup key (全院查询密钥): one per hospital, given to every station and the office in their
 * ledger key files, apart from each station's own data keys (which never leave the station). With it a station adds
 * blind tokens of the patient — HMAC-SM3 of the ID number, and of the name as the station's own name index takes it
 * — to the events it sends the hospital ledger, and the office computes the same token to find them. The ledger
 * holds only tokens, each with its key's id, so rows tokened under a rotated key are told apart from the current.
 */
import { z } from 'zod';
import { hmacSm3, randomBytes } from '../../insurance/crypto';
import { NATIVE_SM } from './sm-native';

export const HospitalLookupKeySchema = z
  .object({
    /** Named in every token the key makes: which key a ledger row's tokens need. */
    id: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/, '密钥编号：1–16 位字母、数字、- 或 _'),
    /** 32 bytes, hex */
    key: z.string().regex(/^[0-9a-f]{64}$/, '密钥：64 位十六进制'),
  })
  .strict();
export type HospitalLookupKey = z.infer<typeof HospitalLookupKeySchema>;

/** The patient's tokens as an event carries them: never the name or ID number itself. */
export interface PatientTokens {
  keyId: string;
  certNo: string;
  name: string;
}

/** The text a name is indexed by, the station's and the hospital's alike: the whole name, spaces dropped, prefixed
 *  so it never equals an ID number's. */
export function nameIndexText(name: string): string {
  return `name:${name.replace(/\s+/g, '')}`;
}

/** The normalisation every blind index applies (an ID number's x and X meet). */
export function indexText(value: string): string {
  return value.trim().toUpperCase();
}

const hmac = NATIVE_SM?.hmacSm3 ?? hmacSm3;

/** A new key: its id says when it was made (so a rotation reads in order), its secret is random. */
export function newHospitalLookupKey(now: Date): HospitalLookupKey {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  return { id: `HK${day}-${Buffer.from(randomBytes(2)).toString('hex')}`, key: Buffer.from(randomBytes(32)).toString('hex') };
}

export class HospitalLookup {
  private readonly secret: Uint8Array;

  constructor(readonly key: HospitalLookupKey) {
    this.secret = new Uint8Array(Buffer.from(HospitalLookupKeySchema.parse(key).key, 'hex'));
  }

  get keyId(): string {
    return this.key.id;
  }

  certNoToken(certNo: string): string {
    return this.token(certNo);
  }

  nameToken(name: string): string {
    return this.token(nameIndexText(name));
  }

  tokens(person: { certNo: string; name: string }): PatientTokens {
    return { keyId: this.key.id, certNo: this.certNoToken(person.certNo), name: this.nameToken(person.name) };
  }

  /** The token a patient filter (a valid ID number, else a whole name) is matched by. */
  queryToken(patient: { certNo: string } | { name: string }): string {
    return 'certNo' in patient ? this.certNoToken(patient.certNo) : this.nameToken(patient.name);
  }

  private token(value: string): string {
    return Buffer.from(hmac(this.secret, indexText(value))).toString('hex');
  }
}
