/**
 * A synthetic ward's patients, seeded into both sides through their own APIs: the NHSA population of this process
 * (the centre and the mobile-payment centre look persons up there) and HIS's patient register. For benchmarks and
 * tests that need hundreds of insured inpatients; the ward's stays and fee lines are then HIS's own (ward control).
 */
import type { HisControl, PatientRow } from './his';
import { seedInsured, type InsuredPerson } from './nhsa/population';
import { syntheticInsured } from './nhsa/synthetic-population';

export interface SyntheticInpatient {
  person: InsuredPerson;
  patientId: string;
}

/** Persons `from .. from + count - 1` of the synthetic population, insured at the centre and registered at HIS. */
export function seedSyntheticInpatients(his: Pick<HisControl, 'addPatients'>, count: number, from = 0): SyntheticInpatient[] {
  const persons = syntheticInsured(count, from);
  seedInsured(persons);
  const rows: PatientRow[] = persons.map((p, k) => ({
    patient_id: `S${String(from + k).padStart(7, '0')}`,
    name: p.name,
    gender: p.gend,
    birth_date: p.brdy,
    card_no: `HCS${String(from + k).padStart(8, '0')}`,
    id_no: p.idNo,
    psn_no: p.psnNo,
    phone: `139${String(from + k).padStart(8, '0')}`,
  }));
  his.addPatients(rows);
  return rows.map((r, k) => ({ person: persons[k]!, patientId: r.patient_id }));
}
