/**
 * What the centre does for each transaction it knows. A handler sees an authenticated, decrypted request and
 * answers with an output or a business error; the envelope, crypto and faults are the server's business.
 */
import { ageOn, beijing } from './clock';
import type { Ledger } from './ledger';
import { findByCard, findByIdNo, findByPsnNo, type InsuredPerson } from './population';

export interface CentreRequest {
  infno: string;
  msgid: string;
  fixmedinsCode: string;
  opter: string;
  signNo: string;
  now: Date;
  input: Record<string, unknown>;
}

export type Answer = { infcode: 0; output: unknown; warnMsg?: string } | { infcode: -1; errMsg: string };

export interface CentreState {
  ledger: Ledger;
  region: string;
}

type Handler = (req: CentreRequest, state: CentreState) => Answer;

const fail = (errMsg: string): Answer => ({ infcode: -1, errMsg });

function node(input: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = input[name];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function field(obj: Record<string, unknown>, name: string): string {
  const value = obj[name];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

export const INVALID_SIGN_NO = '签到流水号无效';
export const UNKNOWN_PERSON = '未查询到人员参保信息';

/** sign_no: yyyyMMddHHmmss (14) + region (6) + serial (10) = 30. */
function signIn(req: CentreRequest, { ledger, region }: CentreState): Answer {
  const body = node(req.input, 'signIn');
  if (!body) return fail('输入参数signIn缺失');
  const opterNo = field(body, 'opter_no');
  if (!opterNo || !field(body, 'ip')) return fail('签到参数opter_no、ip不能为空');
  const t = beijing(req.now);
  const open = ledger.openSignIn(req.fixmedinsCode, opterNo, t.day);
  if (open) return { infcode: 0, output: { signinoutb: { sign_time: open.sign_time, sign_no: open.sign_no } } };
  const signNo = `${t.second}${region}${String(ledger.nextSerial('sign_no')).padStart(10, '0')}`;
  ledger.insertSignIn({ sign_no: signNo, fixmedins_code: req.fixmedinsCode, opter: opterNo, day: t.day, sign_time: t.display });
  return { infcode: 0, output: { signinoutb: { sign_time: t.display, sign_no: signNo } } };
}

function signOut(req: CentreRequest, { ledger }: CentreState): Answer {
  const body = node(req.input, 'signOut');
  if (!body) return fail('输入参数signOut缺失');
  const row = ledger.findSignIn(field(body, 'sign_no'));
  if (!row || row.fixmedins_code !== req.fixmedinsCode || row.opter !== field(body, 'opter_no') || row.sign_out_time) {
    return fail(INVALID_SIGN_NO);
  }
  const time = beijing(req.now).display;
  ledger.closeSignIn(row.sign_no, time);
  return { infcode: 0, output: { signoutoutb: { sign_time: time } } };
}

function personByCertificate(req: CentreRequest, data: Record<string, unknown>, ledger: Ledger): InsuredPerson | string {
  const certNo = field(data, 'mdtrt_cert_no');
  switch (field(data, 'mdtrt_cert_type')) {
    case '01': {
      const token = ledger.findToken(certNo);
      if (!token || token.expires_at <= req.now.getTime()) return '电子凭证令牌无效或已过期';
      if (token.org_id !== req.fixmedinsCode) return '电子凭证令牌与定点医药机构不符';
      return findByPsnNo(token.psn_no) ?? UNKNOWN_PERSON;
    }
    case '02':
      return findByIdNo(certNo) ?? UNKNOWN_PERSON;
    case '03':
      if (!field(data, 'card_sn')) return '社会保障卡卡识别码不能为空';
      return findByCard(certNo, field(data, 'card_sn')) ?? UNKNOWN_PERSON;
    default:
      return '就诊凭证类型mdtrt_cert_type无效';
  }
}

function personInfo(req: CentreRequest, { ledger }: CentreState): Answer {
  const data = node(req.input, 'data');
  if (!data) return fail('输入参数data缺失');
  const person = personByCertificate(req, data, ledger);
  if (typeof person === 'string') return fail(person);
  const suspended = person.insurances.some((i) => i.psnInsuStas === '2');
  return {
    infcode: 0,
    warnMsg: suspended ? '该人员存在暂停参保的险种' : '',
    output: {
      baseinfo: {
        psn_no: person.psnNo,
        psn_cert_type: '01',
        certno: person.idNo,
        psn_name: person.name,
        gend: person.gend,
        naty: person.naty,
        brdy: person.brdy,
        age: ageOn(person.brdy, beijing(req.now).day),
      },
      // Amounts as JSON numbers, as the national platform's Java services serialise BigDecimal.
      insuinfo: person.insurances.map((i) => ({
        balc: Number(i.balc),
        insutype: i.insutype,
        psn_type: i.psnType,
        cvlserv_flag: i.cvlservFlag,
        insuplc_admdvs: i.insuplcAdmdvs,
        emp_name: i.empName,
        psn_insu_stas: i.psnInsuStas,
        psn_insu_date: i.psnInsuDate,
        paus_insu_date: i.pausInsuDate || null,
      })),
      idetinfo: person.identities.map((d) => ({
        psn_idet_type: d.psnIdetType,
        psn_type_lv: d.psnTypeLv,
        memo: d.memo,
        begntime: d.begntime,
        endtime: d.endtime,
        emp_name: null,
      })),
    },
  };
}

const HANDLERS: Record<string, Handler> = { '9001': signIn, '9002': signOut, '1101': personInfo };

/** Transactions that need no sign-in: only the sign-in itself. */
const WITHOUT_SIGN_IN = new Set(['9001']);

export function handle(req: CentreRequest, state: CentreState): Answer {
  const handler = HANDLERS[req.infno];
  if (!handler) return fail(`交易编号${req.infno}不存在或未开通`);
  if (!WITHOUT_SIGN_IN.has(req.infno)) {
    const row = state.ledger.findSignIn(req.signNo);
    const today = beijing(req.now).day;
    if (!row || row.fixmedins_code !== req.fixmedinsCode || row.opter !== req.opter || row.day !== today || row.sign_out_time) {
      return fail(INVALID_SIGN_NO);
    }
  }
  return handler(req, state);
}
