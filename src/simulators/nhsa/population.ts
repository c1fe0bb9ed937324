/**
 * The simulated centre's insured population: data, not code. Names and employers are invented; ID numbers
 * have valid GB 11643 check digits and region / birth-date / sex digits consistent with the record, but
 * belong to no one. Three insured regions relative to a Xiamen (350200) hospital: local, in-province
 * cross-region (Fuzhou 350100) and cross-province (Shenzhen 440300).
 *
 * psn_type / psn_idet_type codes are illustrative; the centre's real code tables are provincial.
 */

export interface InsuranceRecord {
  insutype: '310' | '390'; // employee basic / urban-rural resident basic
  /** Personal account balance, yuan text as the centre sends it. */
  balc: string;
  psnType: string;
  cvlservFlag: '0' | '1';
  insuplcAdmdvs: string;
  empName: string;
  /** 1 insured, 2 suspended (暂停参保). */
  psnInsuStas: '1' | '2';
  psnInsuDate: string;
  pausInsuDate: string;
}

export interface IdentityRecord {
  psnIdetType: string;
  psnTypeLv: string;
  memo: string;
  begntime: string;
  endtime: string;
}

export interface InsuredPerson {
  psnNo: string;
  name: string;
  idNo: string;
  gend: '1' | '2';
  naty: string;
  brdy: string;
  /** Social-security card number and card identification code (社保卡号 / 卡识别码). */
  cardNo: string;
  cardSn: string;
  /** The e-voucher QR text the patient's phone shows; opaque to the station. */
  voucherQr: string;
  insurances: InsuranceRecord[];
  identities: IdentityRecord[];
  /**
   * Training: the centre refuses this person's outpatient registration (2201) with these words, as a centre
   * does for a person with an open visit elsewhere or a record under review.
   */
  registrationRefusal?: string;
}

const XIAMEN = '350200';
const FUZHOU = '350100';
const SHENZHEN = '440300';

export const POPULATION: readonly InsuredPerson[] = [
  {
    psnNo: '35020000000000000101',
    name: '陈建国',
    idNo: '350203196804122036',
    gend: '1',
    naty: '01',
    brdy: '1968-04-12',
    cardNo: 'E35020101',
    cardSn: '350200D156000005000101A1',
    voucherQr: 'YBSIMQR01K7ZPQ3W9M2XD8RT5VJ6HN4CB0FGLAES1UY',
    insurances: [
      {
        insutype: '310',
        balc: '3256.78',
        psnType: '11',
        cvlservFlag: '0',
        insuplcAdmdvs: XIAMEN,
        empName: '厦门鹭江机械制造有限公司',
        psnInsuStas: '1',
        psnInsuDate: '1992-07-01',
        pausInsuDate: '',
      },
    ],
    identities: [],
  },
  {
    psnNo: '35020000000000000102',
    name: '林美华',
    idNo: '350206198509231027',
    gend: '2',
    naty: '01',
    brdy: '1985-09-23',
    cardNo: 'E35020102',
    cardSn: '350200D156000005000102B7',
    voucherQr: 'YBSIMQR02T4MW8QZ1LX6CV3NB9RK5PJ7DH2GF0SEAY',
    insurances: [
      {
        insutype: '310',
        balc: '12890.50',
        psnType: '11',
        cvlservFlag: '1',
        insuplcAdmdvs: XIAMEN,
        empName: '厦门市湖里区教育局',
        psnInsuStas: '1',
        psnInsuDate: '2008-09-01',
        pausInsuDate: '',
      },
    ],
    identities: [],
  },
  {
    psnNo: '35020000000000000103',
    name: '黄志强',
    idNo: '350211195203054010',
    gend: '1',
    naty: '01',
    brdy: '1952-03-05',
    cardNo: 'E35020103',
    cardSn: '350200D156000005000103C3',
    voucherQr: 'YBSIMQR03H9DX2KV7QP4MZ8LT1WC6RB3NJ5GF0YSEA',
    insurances: [
      {
        insutype: '390',
        balc: '0.00',
        psnType: '31',
        cvlservFlag: '0',
        insuplcAdmdvs: XIAMEN,
        empName: '',
        psnInsuStas: '1',
        psnInsuDate: '2016-01-01',
        pausInsuDate: '',
      },
    ],
    identities: [
      { psnIdetType: '2301', psnTypeLv: '1', memo: '优抚对象', begntime: '2016-01-01 00:00:00', endtime: '2099-12-31 00:00:00' },
    ],
  },
  {
    psnNo: '35010000000000000201',
    name: '吴秀英',
    idNo: '350102199007162029',
    gend: '2',
    naty: '01',
    brdy: '1990-07-16',
    cardNo: 'E35010201',
    cardSn: '350100D156000005000201D9',
    voucherQr: 'YBSIMQR04Q6LZ3NT8WX1VK5MD9RP2CB7HJ4GFYS0EA',
    insurances: [
      {
        insutype: '310',
        balc: '5421.30',
        psnType: '11',
        cvlservFlag: '0',
        insuplcAdmdvs: FUZHOU,
        empName: '福州闽江软件有限公司',
        psnInsuStas: '1',
        psnInsuDate: '2013-03-01',
        pausInsuDate: '',
      },
    ],
    identities: [],
  },
  {
    psnNo: '35010000000000000202',
    name: '王丽娟',
    idNo: '350102200106141026',
    gend: '2',
    naty: '01',
    brdy: '2001-06-14',
    cardNo: 'E35010202',
    cardSn: '350100D156000005000202E4',
    voucherQr: 'YBSIMQR05W1RX7MK4ZP9LQ2TV8NC3DB6HJ5GF0SYEA',
    insurances: [
      {
        insutype: '390',
        balc: '0.00',
        psnType: '32',
        cvlservFlag: '0',
        insuplcAdmdvs: FUZHOU,
        empName: '',
        psnInsuStas: '1',
        psnInsuDate: '2019-09-01',
        pausInsuDate: '',
      },
    ],
    identities: [],
  },
  {
    psnNo: '44030000000000000301',
    name: '郑晓东',
    idNo: '440304197802283010',
    gend: '1',
    naty: '01',
    brdy: '1978-02-28',
    cardNo: 'E44030301',
    cardSn: '440300D156000005000301F2',
    voucherQr: 'YBSIMQR06M5TZ8XQ2KW7LV1RN4PD9CB3HJ6GF0YSEA',
    insurances: [
      {
        insutype: '310',
        balc: '8765.43',
        psnType: '11',
        cvlservFlag: '0',
        insuplcAdmdvs: SHENZHEN,
        empName: '深圳南山电子科技有限公司',
        psnInsuStas: '1',
        psnInsuDate: '2004-05-01',
        pausInsuDate: '',
      },
    ],
    identities: [],
  },
  {
    psnNo: '44030000000000000302',
    name: '刘芳',
    idNo: '44030519881111122X',
    gend: '2',
    naty: '01',
    brdy: '1988-11-11',
    cardNo: 'E44030302',
    cardSn: '440300D156000005000302A8',
    voucherQr: 'YBSIMQR07Z2PX9LW4QK6MT1VR8NC5DB3HJ7GF0SYEA',
    insurances: [
      {
        insutype: '390',
        balc: '0.00',
        psnType: '32',
        cvlservFlag: '0',
        insuplcAdmdvs: SHENZHEN,
        empName: '',
        psnInsuStas: '1',
        psnInsuDate: '2015-01-01',
        pausInsuDate: '',
      },
    ],
    identities: [],
  },
  {
    psnNo: '35020000000000000104',
    name: '张伟',
    idNo: '350205196001012514',
    gend: '1',
    naty: '01',
    brdy: '1960-01-01',
    cardNo: 'E35020104',
    cardSn: '350200D156000005000104B5',
    voucherQr: 'YBSIMQR08K3WQ7ZX1MP5LT9VN2RC6DB4HJ8GF0YSEA',
    insurances: [
      {
        insutype: '310',
        balc: '1500.00',
        psnType: '21',
        cvlservFlag: '0',
        insuplcAdmdvs: XIAMEN,
        empName: '厦门海沧化工有限公司',
        psnInsuStas: '2',
        psnInsuDate: '1985-10-01',
        pausInsuDate: '2026-06-30',
      },
    ],
    identities: [],
  },
  {
    // A name with a character outside the BMP (生僻字): 4-byte UTF-8 through encryption and signing.
    psnNo: '35020000000000000105',
    name: '周𠮷安',
    idNo: '350203199508304015',
    gend: '1',
    naty: '01',
    brdy: '1995-08-30',
    cardNo: 'E35020105',
    cardSn: '350200D156000005000105C1',
    voucherQr: 'YBSIMQR09V8NQ3ZW6XK1MP4LT7RC2DB5HJ9GF0SYEA',
    insurances: [
      {
        insutype: '310',
        balc: '268.05',
        psnType: '11',
        cvlservFlag: '0',
        insuplcAdmdvs: XIAMEN,
        empName: '厦门同安茶业合作社',
        psnInsuStas: '1',
        psnInsuDate: '2018-07-01',
        pausInsuDate: '',
      },
    ],
    identities: [],
  },
  // Training scenarios (docs/training.md): a child for the paediatric clinic, an exhausted personal account,
  // a patient with several orders at once, and one whose registration the centre refuses.
  {
    psnNo: '35020000000000000106',
    name: '林小雨',
    idNo: '35020620190520042X',
    gend: '2',
    naty: '01',
    brdy: '2019-05-20',
    cardNo: 'E35020106',
    cardSn: '350200D156000005000106D6',
    voucherQr: 'YBSIMQR10P4XK8ZQ2MW6LT9VN3RC7DB1HJ5GF0SYEA',
    insurances: [
      {
        insutype: '390',
        balc: '0.00',
        psnType: '33',
        cvlservFlag: '0',
        insuplcAdmdvs: XIAMEN,
        empName: '',
        psnInsuStas: '1',
        psnInsuDate: '2019-06-01',
        pausInsuDate: '',
      },
    ],
    identities: [],
  },
  {
    psnNo: '35020000000000000107',
    name: '何振华',
    idNo: '350212197103090319',
    gend: '1',
    naty: '01',
    brdy: '1971-03-09',
    cardNo: 'E35020107',
    cardSn: '350200D156000005000107E3',
    voucherQr: 'YBSIMQR11N7QW2ZX5KM8LT3VR6PC9DB4HJ1GF0YSEA',
    insurances: [
      {
        insutype: '310',
        balc: '0.00',
        psnType: '11',
        cvlservFlag: '0',
        insuplcAdmdvs: XIAMEN,
        empName: '厦门同安建材有限公司',
        psnInsuStas: '1',
        psnInsuDate: '1995-04-01',
        pausInsuDate: '',
      },
    ],
    identities: [],
  },
  {
    psnNo: '35020000000000000108',
    name: '陈秀兰',
    idNo: '35021119630817024X',
    gend: '2',
    naty: '01',
    brdy: '1963-08-17',
    cardNo: 'E35020108',
    cardSn: '350200D156000005000108F8',
    voucherQr: 'YBSIMQR12Z5LT1QW8XK3MP6VN9RC2DB7HJ4GF0SYEA',
    insurances: [
      {
        insutype: '310',
        balc: '6800.00',
        psnType: '21',
        cvlservFlag: '0',
        insuplcAdmdvs: XIAMEN,
        empName: '厦门集美纺织厂',
        psnInsuStas: '1',
        psnInsuDate: '1983-09-01',
        pausInsuDate: '',
      },
    ],
    identities: [],
  },
  {
    psnNo: '35020000000000000109',
    name: '许文博',
    idNo: '350213199201250174',
    gend: '1',
    naty: '01',
    brdy: '1992-01-25',
    cardNo: 'E35020109',
    cardSn: '350200D156000005000109A5',
    voucherQr: 'YBSIMQR13K2MP9ZW4QX7LT5VN1RC8DB3HJ6GF0YSEA',
    insurances: [
      {
        insutype: '310',
        balc: '1830.40',
        psnType: '11',
        cvlservFlag: '0',
        insuplcAdmdvs: XIAMEN,
        empName: '厦门翔安电子有限公司',
        psnInsuStas: '1',
        psnInsuDate: '2014-07-01',
        pausInsuDate: '',
      },
    ],
    identities: [],
    registrationRefusal: '该参保人在其他定点医疗机构有未结束的门诊就诊登记，暂不能重复登记',
  },
];

/** The e-vouchers a trainee (or a test) can "scan". */
export const TRAINING_VOUCHERS: { qr: string; name: string; psnNo: string; insutype: string; region: string }[] = POPULATION.map((p) => ({
  qr: p.voucherQr,
  name: p.name,
  psnNo: p.psnNo,
  insutype: p.insurances[0]?.insutype ?? '',
  region: p.insurances[0]?.insuplcAdmdvs ?? '',
}));

/**
 * Persons added to the population at run time (a benchmark's or a test's synthetic ward, `seedInsured`): found by
 * every lookup of this process's centres, after the fixed population.
 */
const SEEDED = new Map<string, InsuredPerson>();

/** Adds persons to this process's simulated population (same psnNo: replaced). Returns how many are seeded in all. */
export function seedInsured(persons: readonly InsuredPerson[]): number {
  for (const p of persons) {
    if (POPULATION.some((q) => q.psnNo === p.psnNo || q.idNo === p.idNo)) throw new Error(`${p.psnNo} is in the fixed population`);
    SEEDED.set(p.psnNo, p);
  }
  return SEEDED.size;
}

function find(match: (p: InsuredPerson) => boolean): InsuredPerson | undefined {
  const fixed = POPULATION.find(match);
  if (fixed || SEEDED.size === 0) return fixed;
  for (const p of SEEDED.values()) if (match(p)) return p;
  return undefined;
}

export function findByIdNo(idNo: string): InsuredPerson | undefined {
  const wanted = idNo.toUpperCase();
  return find((p) => p.idNo === wanted);
}

export function findByCard(cardNo: string, cardSn: string): InsuredPerson | undefined {
  return find((p) => p.cardNo === cardNo && p.cardSn === cardSn);
}

export function findByVoucherQr(qr: string): InsuredPerson | undefined {
  return find((p) => p.voucherQr === qr);
}

export function findByPsnNo(psnNo: string): InsuredPerson | undefined {
  return POPULATION.find((p) => p.psnNo === psnNo) ?? SEEDED.get(psnNo);
}
