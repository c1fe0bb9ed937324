/**
 * HX-02/HX-03: identify the patient in front of the cashier — e-voucher scanned by the station's scan box, an
 * ID-card number typed in, or the resident ID card read (AQ-13) — through the centre's 1101, then keep the person (sealed) and the identification.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { StationError } from '../../shared/result';
import { INSUTYPE_LABELS, type CertType, type OperatorView, type PatientView } from '../../shared/domain';
import type { OperationArgs } from '../../shared/api';
import { regionName } from '../../shared/regions';
import type { Db, PersonsRepo, StoredPerson } from '../store';
import type { ScanRegistry } from '../scans';
import type { DeviceHub, InsuranceGateway } from '../ports';
import type { HisClient } from '../../insurance/his';
import { localDay } from '../clock';

export interface IdentifyDeps {
  /** HIS, for a hospital card on the scan box (就诊卡): it knows the patient's ID number, or that they are uninsured. */
  his?: HisClient;
  db: Db;
  scans: ScanRegistry;
  insurance: InsuranceGateway;
  persons: PersonsRepo;
  devices: DeviceHub;
  treatmentRegion: string;
  institutionCode: string;
  now: () => Date;
  /** The centre's zone (station/clock.ts): the outBizNo's date and ages are in it. */
  timeZone: string;
}

/** The face verification's business number: institution code + yyyyMMdd + 9 random digits (as NHSA clients do). */
export function outBizNo(institutionCode: string, now: Date, timeZone: string): string {
  const day = localDay(now, timeZone).replaceAll('-', '');
  return `${institutionCode}${day}${String(randomInt(1e9)).padStart(9, '0')}`;
}

export async function identifyPatient(
  deps: IdentifyDeps,
  operator: OperatorView,
  input: OperationArgs<'identifyPatient'>,
): Promise<PatientView> {
  let certType: CertType;
  let certNo: string;
  let method: 'e-voucher' | 'idcard' | 'sscard' | 'face';
  let cardSn: string | undefined;
  let insuredRegion: string | undefined;

  if (input.method === 'scan') {
    const scan = deps.scans.take(input.scanId);
    if (!scan) {
      throw new StationError(
        'SCAN_EXPIRED',
        deps.devices.isConnected('qr-scanner') ? '扫码已失效，请患者重新出示电子凭证' : '扫码设备未连接，请检查扫码墩',
      );
    }
    if (scan.kind === 'hospital-card') {
      const patient = await hospitalCardPatient(deps, scan.code);
      if (!patient.insured) return uninsuredPatient(deps, operator, patient);
      certType = '02';
      certNo = patient.idNo.toUpperCase();
      method = 'idcard';
    } else {
      if (scan.kind !== 'nhsa-ec') throw new StationError('INVALID_ARGUMENT', '该条码不是医保电子凭证');
      const voucher = await deps.insurance.decodeVoucher(operator, scan.code);
      certType = '01';
      certNo = voucher.ecToken;
      method = 'e-voucher';
    }
  } else if (input.method === 'face') {
    const identity = await deps.devices.faceVerify(input.deviceId, outBizNo(deps.institutionCode, deps.now(), deps.timeZone));
    certType = '01';
    certNo = identity.ecToken;
    insuredRegion = identity.insuOrg || undefined;
    method = 'face';
  } else if (input.method === 'card') {
    const card = await deps.devices.readCard(input.deviceId);
    certType = '03';
    certNo = card.certNo;
    cardSn = card.cardSn;
    insuredRegion = card.insuredRegion;
    method = 'sscard';
  } else if (input.method === 'idcard-reader') {
    // The number as the card holds it (parsed and checked by the reader's driver), never retyped.
    const card = await deps.devices.readIdCard(input.deviceId);
    certType = '02';
    certNo = card.certNo.toUpperCase();
    method = 'idcard';
  } else {
    certType = '02';
    certNo = input.certNo.toUpperCase();
    method = 'idcard';
    insuredRegion = input.insuredRegion;
  }

  const lookup = await deps.insurance.personInfo(operator, {
    certType,
    certNo,
    ...(cardSn ? { cardSn } : {}),
    ...(insuredRegion ? { insuredRegion } : {}),
  });
  const person = lookup.person;
  const at = deps.now();
  const identificationId = keepIdentification(deps, operator, person, { method, certType, certNo, msgid: lookup.msgid }, at);
  return toPatientView(person, { identificationId, certType, at, treatmentRegion: deps.treatmentRegion });
}

/** The person (sealed) and who identified them how, in one transaction; returns the identification's id. */
function keepIdentification(
  deps: IdentifyDeps,
  operator: OperatorView,
  person: StoredPerson,
  how: { method: 'e-voucher' | 'idcard' | 'sscard' | 'face'; certType: CertType; certNo: string; msgid: string },
  at: Date,
): string {
  const identificationId = randomUUID();
  deps.db.transaction(() => {
    deps.persons.upsert(person, at);
    deps.persons.recordIdentification(
      {
        id: identificationId,
        operatorId: operator.id,
        ...how,
        psnNo: person.psnNo,
        insuredRegion: person.insurances[0]?.insuredRegion ?? deps.treatmentRegion,
      },
      at,
    );
  })();
  return identificationId;
}

interface HisCardPatient {
  insured: boolean;
  patientId: string;
  name: string;
  gender: string;
  birthDate: string;
  idNo: string;
}

/** A hospital card (就诊卡) names a HIS patient; HIS says whether the patient is insured (linked to a psn_no). */
async function hospitalCardPatient(deps: IdentifyDeps, cardNo: string): Promise<HisCardPatient> {
  if (!deps.his) throw new StationError('INVALID_ARGUMENT', '本工作站未连接 HIS，不能按就诊卡识别');
  const found = await deps.his.patient({ cardNo });
  if (found.kind === 'rejected') throw new StationError('PATIENT_NOT_FOUND', `HIS 中没有这张就诊卡：${found.message}`);
  if (found.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', 'HIS 无法连接，请稍后重试');
  const p = found.value;
  return { insured: Boolean(p.psnNo), patientId: p.patientId, name: p.name, gender: p.gender, birthDate: p.birthDate, idNo: p.idNo };
}

/**
 * HX-20: a patient without insurance, known to HIS by the hospital card. Kept like an insured person (sealed),
 * under HIS's patient id instead of an NHSA psn_no, with no insurance: their orders can only be paid as self-pay.
 */
function uninsuredPatient(deps: IdentifyDeps, operator: OperatorView, p: HisCardPatient): PatientView {
  const at = deps.now();
  const person: StoredPerson = {
    psnNo: `HIS-${p.patientId}`,
    name: p.name,
    certType: '02',
    certNo: p.idNo.toUpperCase(),
    gender: p.gender,
    nation: '',
    birthDate: p.birthDate,
    age: ageOn(p.birthDate, at, deps.timeZone),
    insurances: [],
    identities: [],
  };
  // No 1101: HIS is the source (no msgid).
  const identificationId = keepIdentification(
    deps,
    operator,
    person,
    { method: 'idcard', certType: '02', certNo: person.certNo, msgid: '' },
    at,
  );
  return {
    ...toPatientView(person, { identificationId, certType: '02', at, treatmentRegion: deps.treatmentRegion }),
    psnNo: '',
    uninsured: true,
  };
}

/** Whole years on `at` (the station zone's date) for a yyyy-MM-dd birth date. */
function ageOn(birthDate: string, at: Date, timeZone: string): number {
  const today = localDay(at, timeZone);
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

export function toPatientView(
  person: StoredPerson,
  ctx: { identificationId: string; certType: CertType; at: Date; treatmentRegion: string },
): PatientView {
  return {
    identificationId: ctx.identificationId,
    psnNo: person.psnNo,
    name: person.name,
    gender: person.gender,
    birthDate: person.birthDate,
    age: person.age,
    certNoMasked: maskCertNo(person.certNo),
    certType: ctx.certType,
    insurances: person.insurances.map((i) => ({
      insutype: i.insutype,
      insutypeName: INSUTYPE_LABELS[i.insutype] ?? `险种 ${i.insutype}`,
      psnType: i.psnType,
      insuredRegion: i.insuredRegion,
      insuredRegionName: regionName(i.insuredRegion),
      balanceFen: i.balanceFen,
      employer: i.employer,
      status: i.status,
    })),
    identifiedAt: ctx.at.toISOString(),
    treatmentRegion: ctx.treatmentRegion,
    crossRegion: person.insurances.some((i) => i.insuredRegion !== ctx.treatmentRegion),
  };
}

/** 350203198503121234 -> 350203********1234 (the screen never needs the full number). */
export function maskCertNo(certNo: string): string {
  if (certNo.length <= 10) return certNo.replace(/.(?=.{2})/g, '*');
  return certNo.slice(0, 6) + '*'.repeat(certNo.length - 10) + certNo.slice(-4);
}
