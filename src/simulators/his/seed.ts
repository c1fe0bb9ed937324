/**
 * The hospital's data for training and tests: a small catalogue, departments, doctors and patients. Names are
 * invented. The catalogue is the hospital's mapping (目录对照) of its own item codes to national codes; the
 * national codes, names and specs are copied from the NHSA simulator's catalogue (src/simulators/nhsa/catalogue.ts)
 * so that what HIS prescribes is what the centre's 2204 knows — copied, not imported: each simulator is its own
 * system. Hospital prices are the hospital's: one is above the catalogue's limit (奥美拉唑, the excess is the
 * patient's) and one item is class C self-pay (蒲地蓝), as in real life.
 *
 * The insured patients are the NHSA simulator's training population (src/simulators/nhsa/population.ts), copied
 * here by name, ID number and psn_no so that a patient identified at the centre is found in HIS too. One patient
 * (赵小满) is uninsured, for self-pay-only settlement.
 */
import type { LineRow, PatientRow } from './ledger';

export interface CatalogueItem {
  hospCode: string;
  nationalCode: string;
  kind: 'drug' | 'item';
  name: string;
  spec: string;
  unit: string;
  priceFen: number;
}

export const CATALOGUE: readonly CatalogueItem[] = [
  {
    hospCode: 'Y0001',
    nationalCode: 'XJ01CAA040A001010100005',
    kind: 'drug',
    name: '阿莫西林胶囊',
    spec: '0.25g*24粒/盒',
    unit: '盒',
    priceFen: 1250,
  },
  {
    hospCode: 'Y0002',
    nationalCode: 'XM01AEI009A001010103562',
    kind: 'drug',
    name: '布洛芬缓释胶囊',
    spec: '0.3g*20粒/盒',
    unit: '盒',
    priceFen: 1860,
  },
  {
    hospCode: 'Y0003',
    nationalCode: 'ZA09BAX0335020301839',
    kind: 'drug',
    name: '复方甘草口服溶液',
    spec: '100ml/瓶',
    unit: '瓶',
    priceFen: 980,
  },
  {
    hospCode: 'Y0004',
    nationalCode: 'XJ01DCC047A001010102934',
    kind: 'drug',
    name: '头孢克洛胶囊',
    spec: '0.25g*6粒/盒',
    unit: '盒',
    priceFen: 2340,
  },
  {
    hospCode: 'Y0005',
    nationalCode: 'XA02BCA174A001010105130',
    kind: 'drug',
    name: '奥美拉唑肠溶胶囊',
    spec: '20mg*14粒/盒',
    unit: '盒',
    priceFen: 3120,
  },
  {
    hospCode: 'Y0006',
    nationalCode: 'XB05BBA001B002010100457',
    kind: 'drug',
    name: '氯化钠注射液',
    spec: '0.9%*250ml/袋',
    unit: '袋',
    priceFen: 420,
  },
  {
    hospCode: 'Y0007',
    nationalCode: 'ZA04AAS0157010109527',
    kind: 'drug',
    name: '蒲地蓝消炎口服液',
    spec: '10ml*10支/盒',
    unit: '盒',
    priceFen: 3600,
  },
  { hospCode: 'F0001', nationalCode: '001102000010000', kind: 'item', name: '普通门诊诊察费', spec: '', unit: '次', priceFen: 1000 },
  { hospCode: 'F0002', nationalCode: '002501000010000', kind: 'item', name: '血细胞分析（血常规）', spec: '', unit: '项', priceFen: 2000 },
  { hospCode: 'F0003', nationalCode: '001204000010000', kind: 'item', name: '静脉输液', spec: '', unit: '次', priceFen: 600 },
  { hospCode: 'F0004', nationalCode: '002201000010000', kind: 'item', name: 'X线摄影（胸部正位）', spec: '', unit: '次', priceFen: 5000 },
];

export const DEPARTMENTS = [
  { code: '0301', name: '内科门诊', doctor: { code: 'D0301', name: '李明' } },
  { code: '0401', name: '外科门诊', doctor: { code: 'D0401', name: '王芳' } },
  { code: '0701', name: '儿科门诊', doctor: { code: 'D0701', name: '陈静' } },
  { code: '1001', name: '皮肤科门诊', doctor: { code: 'D1001', name: '张磊' } },
] as const;

/** The paediatric clinic sees children under 14 (and only them); adults go to the other clinics. */
export const PAEDIATRIC_DEPT = '0701';
export const PAEDIATRIC_AGE_LIMIT = 14;

export const PATIENTS: readonly PatientRow[] = [
  // From the NHSA training population (same name, ID number and psn_no).
  {
    patient_id: 'P000101',
    name: '陈建国',
    gender: '1',
    birth_date: '1968-04-12',
    card_no: 'HC3502000101',
    id_no: '350203196804122036',
    psn_no: '35020000000000000101',
    phone: '13800000101',
  },
  {
    patient_id: 'P000102',
    name: '林美华',
    gender: '2',
    birth_date: '1985-09-23',
    card_no: 'HC3502000102',
    id_no: '350206198509231027',
    psn_no: '35020000000000000102',
    phone: '13800000102',
  },
  {
    patient_id: 'P000103',
    name: '黄志强',
    gender: '1',
    birth_date: '1952-03-05',
    card_no: 'HC3502000103',
    id_no: '350211195203054010',
    psn_no: '35020000000000000103',
    phone: '13800000103',
  },
  {
    patient_id: 'P000201',
    name: '吴秀英',
    gender: '2',
    birth_date: '1990-07-16',
    card_no: 'HC3501000201',
    id_no: '350102199007162029',
    psn_no: '35010000000000000201',
    phone: '13800000201',
  },
  {
    patient_id: 'P000301',
    name: '郑晓东',
    gender: '1',
    birth_date: '1978-02-28',
    card_no: 'HC4403000301',
    id_no: '440304197802283010',
    psn_no: '44030000000000000301',
    phone: '13800000301',
  },
  // Insured, but the scheme is suspended: the 2001 check refuses benefits; the visit is paid as self-pay.
  {
    patient_id: 'P000104',
    name: '张伟',
    gender: '1',
    birth_date: '1960-01-01',
    card_no: 'HC3502000104',
    id_no: '350205196001012514',
    psn_no: '35020000000000000104',
    phone: '13800000104',
  },
  // Training scenarios (docs/training.md), from the NHSA training population too.
  {
    patient_id: 'P000106',
    name: '林小雨',
    gender: '2',
    birth_date: '2019-05-20',
    card_no: 'HC3502000106',
    id_no: '35020620190520042X',
    psn_no: '35020000000000000106',
    phone: '13800000106',
  },
  {
    patient_id: 'P000107',
    name: '何振华',
    gender: '1',
    birth_date: '1971-03-09',
    card_no: 'HC3502000107',
    id_no: '350212197103090319',
    psn_no: '35020000000000000107',
    phone: '13800000107',
  },
  {
    patient_id: 'P000108',
    name: '陈秀兰',
    gender: '2',
    birth_date: '1963-08-17',
    card_no: 'HC3502000108',
    id_no: '35021119630817024X',
    psn_no: '35020000000000000108',
    phone: '13800000108',
  },
  {
    patient_id: 'P000109',
    name: '许文博',
    gender: '1',
    birth_date: '1992-01-25',
    card_no: 'HC3502000109',
    id_no: '350213199201250174',
    psn_no: '35020000000000000109',
    phone: '13800000109',
  },
  // Uninsured: settles self-pay only through HIS (HX-20).
  {
    patient_id: 'P900001',
    name: '赵小满',
    gender: '1',
    birth_date: '1999-12-12',
    card_no: 'HC90000001',
    id_no: '350203199912120015',
    psn_no: null,
    phone: '13800009001',
  },
];

export function catalogueItem(hospCode: string): CatalogueItem | undefined {
  return CATALOGUE.find((item) => item.hospCode === hospCode);
}

/**
 * quantity × unit price in fen, half up: quantities are decimal text (up to 4 places, "0.5" of a box), so the
 * product is computed on integers — 1250 fen × "1.5" = 1250 × 15 / 10.
 */
export function lineAmountFen(priceFen: number, quantity: string): number {
  const m = /^(\d{1,6})(?:\.(\d{1,4}))?$/.exec(quantity);
  if (!m) throw new RangeError(`not a quantity: ${quantity}`);
  const places = (m[2] ?? '').length;
  const scaled = Number(`${m[1]}${m[2] ?? ''}`);
  const divisor = 10 ** places;
  return Math.floor((priceFen * scaled * 2 + divisor) / (2 * divisor));
}

/** Lines of one prescription from (hospital code, quantity) pairs. */
export function linesFor(rxNo: string, items: { hospCode: string; quantity: string }[]): LineRow[] {
  return items.map(({ hospCode, quantity }, i) => {
    const item = catalogueItem(hospCode);
    if (!item) throw new Error(`no catalogue item ${hospCode}`);
    return {
      rx_no: rxNo,
      line_no: i + 1,
      item_type: item.kind,
      hosp_code: item.hospCode,
      med_list_codg: item.nationalCode,
      name: item.name,
      spec: item.spec,
      unit: item.unit,
      quantity,
      unit_price_fen: item.priceFen,
      amount_fen: lineAmountFen(item.priceFen, quantity),
    };
  });
}
