// Conformance, transaction by transaction: the input node and field names on the wire are the national ones
// (listed here from the specification tables as open clients copy them — protocol-research §1.4/§1.5 — not from
// our schemas), the input is encrypted and signed so that `sm-crypto` decrypts and verifies it, and every error
// class comes out as the right outcome for every transaction.
import smCrypto from 'sm-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentreWithFreshKeys, type CentreFixture, type Fault } from '../../../simulators/nhsa';
import { NhsaClient } from '../client';
import { MemoryMsgIdAllocator } from '../msgid';
import type { CallContext, NhsaOutcome } from '../outcome';
import * as nhsa from '../index';

const { sm2: refSm2, sm4: refSm4 } = smCrypto;
const operator = { opter: 'sf001', opterName: '收费员甲', opterType: '1' } as const;
const T = '2026-11-22 10:15:30';
const P = '35020000000000000101';
const M = '350200100000000000001';

type Send = (client: NhsaClient, ctx: CallContext, input: unknown) => Promise<NhsaOutcome<unknown>>;
interface Case {
  send: Send;
  input: unknown;
  /** node -> its national field names; a node holding a list is checked on its first item. */
  wire: Record<string, readonly string[]>;
}

const feeCommon = {
  feedetl_sn: 'FD1',
  mdtrt_id: M,
  psn_no: P,
  fee_ocur_time: T,
  med_list_codg: 'XJ01CAA040A001010100005',
  medins_list_codg: 'H1',
  det_item_fee_sumamt: 3720,
  cnt: '2',
  pric: '18.60',
  bilg_dept_codg: '0301',
  bilg_dept_name: '内科',
  bilg_dr_codg: 'D1',
  bilg_dr_name: '林医生',
};
const diag = {
  diag_type: '1',
  diag_srt_no: 1,
  diag_code: 'J06.900',
  diag_name: '上感',
  diag_dept: '内科',
  dise_dor_no: 'D1',
  dise_dor_name: '林医生',
  diag_time: T,
};
const ipDiag = { ...diag, psn_no: P, maindiag_flag: '1' };
const settleIn = {
  psn_no: P,
  mdtrt_cert_type: '02',
  mdtrt_cert_no: '350203196804122036',
  med_type: '11',
  medfee_sumamt: 3720,
  psn_setlway: '01',
  mdtrt_id: M,
  chrg_bchno: 'CB',
  insutype: '310',
  acct_used_flag: '1',
};
const ipSettleIn = {
  psn_no: P,
  mdtrt_cert_type: '02',
  mdtrt_cert_no: '350203196804122036',
  medfee_sumamt: 3720,
  psn_setlway: '01',
  mdtrt_id: M,
  acct_used_flag: '1',
  insutype: '310',
  mid_setl_flag: '0',
};
const maternity = [
  'fpsc_no',
  'matn_type',
  'birctrl_type',
  'latechb_flag',
  'geso_val',
  'fetts',
  'fetus_cnt',
  'pret_flag',
  'birctrl_matn_date',
];
const admissionCore = [
  'adm_diag_dscr',
  'adm_dept_codg',
  'adm_dept_name',
  'adm_bed',
  'dscg_maindiag_code',
  'dscg_maindiag_name',
  'main_cond_dscr',
  'dise_codg',
  'dise_name',
  'oprn_oprt_code',
  'oprn_oprt_name',
];
const period = { setl_optins: '350200', stmt_begndate: '2026-11-22', stmt_enddate: '2026-11-22', clr_type: '11' };
const page = { updt_time: T, page_num: 1, page_size: 10 };
const ipDiagFields = [
  'psn_no',
  'diag_type',
  'maindiag_flag',
  'diag_srt_no',
  'diag_code',
  'diag_name',
  'adm_cond',
  'diag_dept',
  'dise_dor_no',
  'dise_dor_name',
  'diag_time',
];

const CASES: Record<string, Case> = {
  '2001': {
    send: nhsa.treatmentCheck as Send,
    input: { psn_no: P, insutype: '310', med_type: '11', begntime: T },
    wire: {
      data: [
        'psn_no',
        'insutype',
        'fixmedins_code',
        'med_type',
        'begntime',
        'endtime',
        'dise_codg',
        'dise_name',
        'oprn_oprt_code',
        'oprn_oprt_name',
        'matn_type',
        'birctrl_type',
      ],
    },
  },
  '2201': {
    send: nhsa.registerOutpatient as Send,
    input: {
      psn_no: P,
      insutype: '310',
      begntime: T,
      mdtrt_cert_type: '02',
      mdtrt_cert_no: 'X',
      ipt_otp_no: 'MZ1',
      atddr_no: 'D1',
      dr_name: '林',
      dept_code: '03',
      dept_name: '内科',
      caty: 'A03',
    },
    wire: {
      data: [
        'psn_no',
        'insutype',
        'begntime',
        'mdtrt_cert_type',
        'mdtrt_cert_no',
        'ipt_otp_no',
        'atddr_no',
        'dr_name',
        'dept_code',
        'dept_name',
        'caty',
      ],
    },
  },
  '2202': {
    send: nhsa.cancelOutpatientRegistration as Send,
    input: { psn_no: P, mdtrt_id: M, ipt_otp_no: 'MZ1' },
    wire: { data: ['psn_no', 'mdtrt_id', 'ipt_otp_no'] },
  },
  '2203': {
    send: nhsa.uploadOutpatientVisit as Send,
    input: { mdtrtinfo: { mdtrt_id: M, psn_no: P, med_type: '11', begntime: T }, diseinfo: [diag] },
    wire: {
      mdtrtinfo: [
        'mdtrt_id',
        'psn_no',
        'med_type',
        'begntime',
        'main_cond_dscr',
        'dise_codg',
        'dise_name',
        'birctrl_type',
        'birctrl_matn_date',
      ],
      diseinfo: [
        'diag_type',
        'diag_srt_no',
        'diag_code',
        'diag_name',
        'diag_dept',
        'dise_dor_no',
        'dise_dor_name',
        'diag_time',
        'vali_flag',
      ],
    },
  },
  '2204': {
    send: nhsa.uploadOutpatientFees as Send,
    input: { feedetail: [{ ...feeCommon, chrg_bchno: 'CB' }] },
    wire: {
      feedetail: [
        'feedetl_sn',
        'mdtrt_id',
        'psn_no',
        'chrg_bchno',
        'dise_codg',
        'rxno',
        'rx_circ_flag',
        'fee_ocur_time',
        'med_list_codg',
        'medins_list_codg',
        'det_item_fee_sumamt',
        'cnt',
        'pric',
        'sin_dos_dscr',
        'used_frqu_dscr',
        'prd_days',
        'medc_way_dscr',
        'bilg_dept_codg',
        'bilg_dept_name',
        'bilg_dr_codg',
        'bilg_dr_name',
        'acord_dept_codg',
        'acord_dept_name',
        'orders_dr_code',
        'orders_dr_name',
        'hosp_appr_flag',
        'tcmdrug_used_way',
        'etip_flag',
        'etip_hosp_code',
        'dscg_tkdrug_flag',
        'matn_fee_flag',
      ],
    },
  },
  '2205': {
    send: nhsa.cancelOutpatientFees as Send,
    input: { mdtrt_id: M, chrg_bchno: 'CB', psn_no: P },
    wire: { data: ['mdtrt_id', 'chrg_bchno', 'psn_no'] },
  },
  '2206': {
    send: nhsa.preSettleOutpatient as Send,
    input: { ...settleIn, inscp_scp_amt: 3720 },
    wire: {
      data: [
        'psn_no',
        'mdtrt_cert_type',
        'mdtrt_cert_no',
        'med_type',
        'medfee_sumamt',
        'psn_setlway',
        'mdtrt_id',
        'chrg_bchno',
        'insutype',
        'acct_used_flag',
        'invono',
        'inscp_scp_amt',
      ],
    },
  },
  '2207': {
    send: nhsa.settleOutpatient as Send,
    input: settleIn,
    wire: {
      data: [
        'psn_no',
        'mdtrt_cert_type',
        'mdtrt_cert_no',
        'med_type',
        'medfee_sumamt',
        'psn_setlway',
        'mdtrt_id',
        'chrg_bchno',
        'insutype',
        'acct_used_flag',
        'invono',
      ],
    },
  },
  '2208': {
    send: nhsa.cancelOutpatientSettlement as Send,
    input: { setl_id: 'S1', mdtrt_id: M, psn_no: P },
    wire: { data: ['setl_id', 'mdtrt_id', 'psn_no'] },
  },
  '2301': {
    send: nhsa.uploadInpatientFees as Send,
    input: { feedetail: [{ ...feeCommon, med_type: '21' }] },
    wire: {
      feedetail: [
        'feedetl_sn',
        'init_feedetl_sn',
        'mdtrt_id',
        'drord_no',
        'psn_no',
        'med_type',
        'fee_ocur_time',
        'med_list_codg',
        'medins_list_codg',
        'det_item_fee_sumamt',
        'cnt',
        'pric',
        'bilg_dept_codg',
        'bilg_dept_name',
        'bilg_dr_codg',
        'bilg_dr_name',
        'acord_dept_codg',
        'acord_dept_name',
        'orders_dr_code',
        'orders_dr_name',
        'hosp_appr_flag',
        'tcmdrug_used_way',
        'etip_flag',
        'etip_hosp_code',
        'dscg_tkdrug_flag',
        'matn_fee_flag',
        'memo',
      ],
    },
  },
  '2302': {
    send: nhsa.cancelInpatientFees as Send,
    input: { feedetl_sn: '0000', mdtrt_id: M, psn_no: P },
    wire: { data: ['feedetl_sn', 'mdtrt_id', 'psn_no'] },
  },
  '2303': {
    send: nhsa.preSettleInpatient as Send,
    input: ipSettleIn,
    wire: {
      data: [
        'psn_no',
        'mdtrt_cert_type',
        'mdtrt_cert_no',
        'medfee_sumamt',
        'psn_setlway',
        'mdtrt_id',
        'acct_used_flag',
        'insutype',
        'invono',
        'mid_setl_flag',
      ],
    },
  },
  '2304': {
    send: nhsa.settleInpatient as Send,
    input: ipSettleIn,
    wire: {
      data: [
        'psn_no',
        'mdtrt_cert_type',
        'mdtrt_cert_no',
        'medfee_sumamt',
        'psn_setlway',
        'mdtrt_id',
        'acct_used_flag',
        'insutype',
        'invono',
        'mid_setl_flag',
      ],
    },
  },
  '2305': {
    send: nhsa.cancelInpatientSettlement as Send,
    input: { mdtrt_id: M, setl_id: 'S1', psn_no: P },
    wire: { data: ['mdtrt_id', 'setl_id', 'psn_no'] },
  },
  '2401': {
    send: nhsa.admit as Send,
    input: {
      mdtrtinfo: {
        psn_no: P,
        insutype: '310',
        begntime: T,
        mdtrt_cert_type: '02',
        mdtrt_cert_no: 'X',
        med_type: '21',
        ipt_no: 'ZY1',
        atddr_no: 'D1',
        chfpdr_name: '王',
        adm_diag_dscr: '腹痛',
        adm_dept_codg: '05',
        adm_dept_name: '外科',
        adm_bed: '1',
        dscg_maindiag_code: 'K35.800',
        dscg_maindiag_name: '阑尾炎',
      },
      diseinfo: [ipDiag],
    },
    wire: {
      mdtrtinfo: [
        'psn_no',
        'insutype',
        'coner_name',
        'tel',
        'begntime',
        'mdtrt_cert_type',
        'mdtrt_cert_no',
        'card_sn',
        'med_type',
        'ipt_no',
        'medrcdno',
        'atddr_no',
        'chfpdr_name',
        ...admissionCore,
        ...maternity,
      ],
      diseinfo: ipDiagFields,
    },
  },
  '2402': {
    send: nhsa.discharge as Send,
    input: {
      dscginfo: { mdtrt_id: M, psn_no: P, insutype: '310', endtime: T, dscg_dept_codg: '05', dscg_dept_name: '外科', dscg_way: '1' },
      diseinfo: [ipDiag],
    },
    wire: {
      dscginfo: [
        'mdtrt_id',
        'psn_no',
        'insutype',
        'endtime',
        'dise_codg',
        'dise_name',
        'oprn_oprt_code',
        'oprn_oprt_name',
        ...maternity,
        'cop_flag',
        'dscg_dept_codg',
        'dscg_dept_name',
        'dscg_bed',
        'dscg_way',
        'die_date',
      ],
      diseinfo: ipDiagFields,
    },
  },
  '2403': {
    send: nhsa.changeAdmission as Send,
    input: {
      adminfo: {
        mdtrt_id: M,
        psn_no: P,
        begntime: T,
        mdtrt_cert_type: '02',
        med_type: '21',
        ipt_otp_no: 'ZY1',
        atddr_no: 'D1',
        chfpdr_name: '王',
        adm_diag_dscr: '腹痛',
        adm_dept_codg: '05',
        adm_dept_name: '外科',
        adm_bed: '1',
        dscg_maindiag_code: 'K35.800',
        dscg_maindiag_name: '阑尾炎',
      },
      diseinfo: [ipDiag],
    },
    wire: {
      adminfo: [
        'mdtrt_id',
        'psn_no',
        'coner_name',
        'tel',
        'begntime',
        'endtime',
        'mdtrt_cert_type',
        'med_type',
        'ipt_otp_no',
        'medrcdno',
        'atddr_no',
        'chfpdr_name',
        ...admissionCore,
        ...maternity,
      ],
      diseinfo: ipDiagFields,
    },
  },
  '2404': { send: nhsa.cancelAdmission as Send, input: { mdtrt_id: M, psn_no: P }, wire: { data: ['mdtrt_id', 'psn_no'] } },
  '2405': { send: nhsa.cancelDischarge as Send, input: { mdtrt_id: M, psn_no: P }, wire: { data: ['mdtrt_id', 'psn_no'] } },
  '2601': {
    send: nhsa.reverseTransaction as Send,
    input: { psn_no: P, omsgid: 'H35020300001202611221015300001', oinfno: '2207' },
    wire: { data: ['psn_no', 'omsgid', 'oinfno'] },
  },
  '3201': {
    send: nhsa.reconcileTotals as Send,
    input: { ...period, insutype: '310', medfee_sumamt: 0, fund_pay_sumamt: 0, acct_pay: 0, fixmedins_setl_cnt: 0 },
    wire: {
      data: [
        'insutype',
        'clr_type',
        'setl_optins',
        'stmt_begndate',
        'stmt_enddate',
        'medfee_sumamt',
        'fund_pay_sumamt',
        'acct_pay',
        'fixmedins_setl_cnt',
        'refd_setl_flag',
      ],
    },
  },
  '3202': {
    send: nhsa.reconcileDetails as Send,
    input: { ...period, file_qury_no: 'F1', medfee_sumamt: 0, fund_pay_sumamt: 0, cash_payamt: 0, fixmedins_setl_cnt: 0 },
    wire: {
      data: [
        'setl_optins',
        'file_qury_no',
        'stmt_begndate',
        'stmt_enddate',
        'medfee_sumamt',
        'fund_pay_sumamt',
        'cash_payamt',
        'fixmedins_setl_cnt',
        'refd_setl_flag',
        'clr_type',
      ],
    },
  },
  '3260': {
    send: nhsa.fetchClearingPage as Send,
    input: { trt_year: '2026', trt_month: '10', startrow: 1 },
    wire: { data: ['trt_year', 'trt_month', 'startrow'] },
  },
  '3261': {
    send: nhsa.confirmClearing as Send,
    input: {
      trt_year: '2026',
      trt_month: '10',
      totalrow: 1,
      detail: [{ certno: '', mdtrt_id: M, mdtrt_setl_time: T, setl_sn: 'S1', medfee_sumamt: 100, optins_pay_sumamt: 50, cnfm_flag: '1' }],
    },
    wire: {
      data: ['trt_year', 'trt_month', 'totalrow'],
      detail: ['certno', 'mdtrt_id', 'mdtrt_setl_time', 'setl_sn', 'medfee_sumamt', 'optins_pay_sumamt', 'cnfm_flag'],
    },
  },
  '3262': {
    send: nhsa.rollbackClearing as Send,
    input: { trt_year: '2026', trt_month: '10', otransid: '0' },
    wire: { data: ['trt_year', 'trt_month', 'otransid'] },
  },
  '5201': {
    send: nhsa.queryVisits as Send,
    input: { psn_no: P, begntime: T, endtime: T },
    wire: { data: ['psn_no', 'begntime', 'endtime', 'med_type', 'mdtrt_id'] },
  },
  '5202': {
    send: nhsa.queryDiagnoses as Send,
    input: { psn_no: P, begntime: T, endtime: T },
    wire: { data: ['psn_no', 'begntime', 'endtime', 'mdtrt_id'] },
  },
  '5203': {
    send: nhsa.querySettlement as Send,
    input: { psn_no: P, setl_id: 'S1', mdtrt_id: M },
    wire: { data: ['psn_no', 'setl_id', 'mdtrt_id'] },
  },
  '5204': { send: nhsa.queryFeeDetails as Send, input: { psn_no: P, mdtrt_id: M }, wire: { data: ['psn_no', 'setl_id', 'mdtrt_id'] } },
  '5205': {
    send: nhsa.queryChronicDrugRecords as Send,
    input: { psn_no: P, begntime: T, endtime: T },
    wire: { data: ['psn_no', 'begntime', 'endtime'] },
  },
  '9101': {
    send: nhsa.uploadFile as Send,
    input: { filename: 'a.zip', content: new Uint8Array([80, 75]) },
    wire: { fsUploadIn: ['in', 'filename', 'fixmedins_code'] },
  },
  '1312': {
    send: nhsa.queryHilist as Send,
    input: page,
    wire: { data: ['query_date', 'hilist_code', 'insu_admdvs', 'list_type', 'vali_flag', 'updt_time', 'page_num', 'page_size'] },
  },
  '1318': {
    send: nhsa.queryPriceLimits as Send,
    input: page,
    wire: { data: ['query_date', 'hilist_code', 'insu_admdvs', 'vali_flag', 'updt_time', 'page_num', 'page_size'] },
  },
  '1319': {
    send: nhsa.querySelfpayRatios as Send,
    input: page,
    wire: { data: ['query_date', 'hilist_code', 'insu_admdvs', 'vali_flag', 'updt_time', 'page_num', 'page_size'] },
  },
};

let fx: CentreFixture;
let sent: { infno: string; plain: string; signed: boolean; body: Record<string, unknown> }[] = [];
const clock = new Date('2026-11-22T02:15:30Z');
const msgids = new MemoryMsgIdAllocator('H35020300001');
let client: NhsaClient;
let ctx: CallContext;
let nextMsgid: { next: () => string };

beforeAll(async () => {
  fx = await startCentreWithFreshKeys({ now: () => clock });
  const key = Buffer.from(fx.clientId, 'latin1');
  // Each case gets its own second, so 9999 msgids per second is never the limit.
  let tick = 0;
  nextMsgid = { next: () => msgids.next(new Date(clock.getTime() + Math.floor(tick++ / 50) * 1000)) };
  // A generous deadline: under CI load the SM2 work on both ends can take a while; the deadline itself is
  // tested below with a client of its own.
  client = new NhsaClient(fx.stationConfig({ timeoutMs: 10_000 }), {
    msgids: nextMsgid,
    now: () => clock,
    fetch: async (url, init) => {
      const body = JSON.parse(String(init?.body)) as Record<string, unknown> & { input: string; cainfo: string; infno: string };
      const plain = Buffer.from(refSm4.decrypt(Buffer.from(body.input, 'base64'), key, { output: 'array' }) as number[]);
      const signed = refSm2.doVerifySignature(plain, Buffer.from(body.cainfo, 'base64').toString('hex'), fx.station.publicKeyHex, {
        hash: true,
        der: false,
      });
      sent.push({ infno: body.infno, plain: plain.toString('utf8'), signed, body });
      return fetch(url, init);
    },
  });
  const signedIn = await nhsa.signIn(client, { operator }, { opterNo: 'sf001', mac: '', ip: '10.1.2.3' });
  if (signedIn.kind !== 'ok') throw new Error('sign-in failed');
  ctx = { operator, signNo: signedIn.output.signNo, insuplcAdmdvs: '350200' };
});
afterAll(async () => {
  await fx.centre.close();
});

describe.each(Object.entries(CASES))('%s', (infno, c) => {
  it('sends the national node and field names, encrypted and signed so that sm-crypto opens and verifies it', async () => {
    sent = [];
    const outcome = await c.send(client, ctx, c.input);
    expect(['ok', 'rejected']).toContain(outcome.kind); // sample data: the centre may well refuse it — but it answers
    expect(sent).toHaveLength(1);
    const [request] = sent;
    expect(request).toMatchObject({
      infno,
      signed: true,
      body: { infno, signtype: 'SM2', enc_type: 'SM4', sign_no: ctx.signNo, insuplc_admdvs: '350200' },
    });
    const input = JSON.parse(request!.plain) as Record<string, unknown>;
    expect(Object.keys(input).sort()).toEqual(Object.keys(c.wire).sort());
    for (const [node, fields] of Object.entries(c.wire)) {
      const value = input[node];
      const first = (Array.isArray(value) ? value[0] : value) as Record<string, unknown>;
      expect(Object.keys(first).sort(), node).toEqual([...fields].sort());
      // Amounts travel as yuan text with two decimals.
      for (const amount of ['det_item_fee_sumamt', 'medfee_sumamt', 'fund_pay_sumamt', 'acct_pay', 'cash_payamt']) {
        if (amount in first) expect(first[amount], amount).toMatch(/^-?\d+\.\d{2}$/);
      }
    }
  });

  const faults: [Fault, Partial<NhsaOutcome<unknown>> & Record<string, unknown>][] = [
    [
      { kind: 'business-error', errMsg: `${infno}业务繁忙` },
      { kind: 'rejected', errMsg: `${infno}业务繁忙` },
    ],
    [{ kind: 'http-500' }, { kind: 'unknown', reason: 'http-status' }],
    [{ kind: 'malformed-json' }, { kind: 'unknown', reason: 'unparsable' }],
    [{ kind: 'bad-signature' }, { kind: 'unknown', reason: 'bad-signature' }],
    [{ kind: 'wrong-refmsgid' }, { kind: 'unknown', reason: 'mismatch' }],
    [{ kind: 'drop-request' }, { kind: 'unknown', reason: 'network' }],
    [{ kind: 'drop-response' }, { kind: 'unknown', reason: 'network' }],
  ];
  it.each(faults)('classifies fault %o', async (fault, expected) => {
    fx.centre.control.inject({ infno, fault, times: 1 });
    try {
      expect(await c.send(client, ctx, c.input)).toMatchObject(expected);
    } finally {
      fx.centre.control.clear();
    }
  });
});

describe('timeouts', () => {
  it.each(['2207', '2304', '2601', '3201'])('%s: an answer later than the deadline is unknown/timeout', async (infno) => {
    const hurried = new NhsaClient(fx.stationConfig({ timeoutMs: 300 }), { msgids: nextMsgid, now: () => clock });
    fx.centre.control.inject({ infno, fault: { kind: 'delay', ms: 3000 }, times: 1 });
    try {
      const c = CASES[infno]!;
      expect(await c.send(hurried, ctx, c.input)).toMatchObject({ kind: 'unknown', reason: 'timeout' });
    } finally {
      fx.centre.control.clear();
    }
  });
});
