import type { Fen } from '../../shared/money';
import { nameIndexText, type FieldCipher } from '../security';
import type { Db } from './database';

/** What the station keeps of a person from 1101, sealed as one JSON value. */
export interface StoredPerson {
  psnNo: string;
  name: string;
  certType: string;
  certNo: string;
  gender: string;
  nation: string;
  birthDate: string;
  age: number;
  insurances: {
    insutype: string;
    psnType: string;
    balanceFen: Fen;
    insuredRegion: string;
    employer: string;
    status: string;
    civilServant: boolean;
  }[];
  identities: { type: string; level: string; begin: string; end: string }[];
}

/**
 * The keyed digest a list finds a patient by name with (the name itself is sealed): the whole name, spaces
 * dropped, so "陈 建国" and "陈建国" meet. Prefixed so it never equals an ID number's digest.
 */
export function personNameIndex(cipher: FieldCipher, name: string): string {
  return cipher.blindIndex(nameIndexText(name));
}

/** Persons stored before migration 017 get their name digest at start (a no-op once done). */
export function indexPersonNames(db: Db, cipher: FieldCipher): number {
  const rows = db.prepare('SELECT psn_no, sealed FROM persons WHERE name_index IS NULL').all() as { psn_no: string; sealed: string }[];
  const put = db.prepare('UPDATE persons SET name_index = ? WHERE psn_no = ?');
  db.transaction(() => {
    for (const r of rows) put.run(personNameIndex(cipher, cipher.openJson<{ name: string }>(r.sealed).name), r.psn_no);
  })();
  return rows.length;
}

export class PersonsRepo {
  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
  ) {}

  upsert(person: StoredPerson, now: Date): void {
    this.db
      .prepare(
        `INSERT INTO persons (psn_no, certno_index, name_index, sealed, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(psn_no) DO UPDATE SET certno_index = excluded.certno_index, name_index = excluded.name_index,
           sealed = excluded.sealed, updated_at = excluded.updated_at`,
      )
      .run(
        person.psnNo,
        this.cipher.blindIndex(person.certNo),
        personNameIndex(this.cipher, person.name),
        this.cipher.sealJson(person),
        now.toISOString(),
      );
  }

  find(psnNo: string): StoredPerson | undefined {
    const row = this.db.prepare('SELECT sealed FROM persons WHERE psn_no = ?').get(psnNo) as { sealed: string } | undefined;
    return row ? this.cipher.openJson<StoredPerson>(row.sealed) : undefined;
  }

  findByCertNo(certNo: string): StoredPerson | undefined {
    const row = this.db
      .prepare('SELECT sealed FROM persons WHERE certno_index = ? ORDER BY updated_at DESC LIMIT 1')
      .get(this.cipher.blindIndex(certNo)) as { sealed: string } | undefined;
    return row ? this.cipher.openJson<StoredPerson>(row.sealed) : undefined;
  }

  recordIdentification(
    row: {
      id: string;
      operatorId: string;
      method: 'e-voucher' | 'idcard' | 'sscard' | 'face';
      certType: string;
      psnNo: string;
      insuredRegion: string;
      msgid: string;
      certNo: string;
    },
    now: Date,
  ): void {
    this.db
      .prepare(
        `INSERT INTO identifications (id, at, operator_id, method, cert_type, psn_no, insuplc_admdvs, msgid, cert_sealed)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.id,
        now.toISOString(),
        row.operatorId,
        row.method,
        row.certType,
        row.psnNo,
        row.insuredRegion,
        row.msgid,
        this.cipher.seal(row.certNo),
      );
  }

  /** An identification with its person and certificate, for the calls of the visit that follows it. */
  identification(
    id: string,
  ):
    | { id: string; operatorId: string; certType: '01' | '02' | '03'; certNo: string; insuredRegion: string; person: StoredPerson }
    | undefined {
    const row = this.db
      .prepare(
        `SELECT i.id, i.operator_id AS operatorId, i.cert_type AS certType, i.cert_sealed AS certSealed,
                i.insuplc_admdvs AS insuredRegion, p.sealed
         FROM identifications i JOIN persons p ON p.psn_no = i.psn_no WHERE i.id = ?`,
      )
      .get(id) as
      | { id: string; operatorId: string; certType: '01' | '02' | '03'; certSealed: string | null; insuredRegion: string; sealed: string }
      | undefined;
    if (!row || !row.certSealed) return undefined;
    return {
      id: row.id,
      operatorId: row.operatorId,
      certType: row.certType,
      certNo: this.cipher.open(row.certSealed),
      insuredRegion: row.insuredRegion,
      person: this.cipher.openJson<StoredPerson>(row.sealed),
    };
  }
}
