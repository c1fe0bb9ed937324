/**
 * Sign-in (9001 / 9002), person info (1101) and the treatment check (2001).
 */
import { z } from 'zod';
import { ageOn, beijing } from '../clock';
import { parseAmount } from '../money';
import { findByCard, findByIdNo, findByPsnNo, type InsuredPerson } from '../population';
import type { CareRecords } from '../records';
import {
  code,
  dateTime,
  fail,
  ok,
  optional,
  parse,
  personFor,
  isAnswer,
  UNKNOWN_PERSON,
  wireAmount,
  type CentreRequest,
  type CentreState,
  type Handler,
} from './common';

export const INVALID_SIGN_NO = '签到流水号无效';

function node(input: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = input[name];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function field(obj: Record<string, unknown>, name: string): string {
  const value = obj[name];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** sign_no: yyyyMMddHHmmss (14) + region (6) + serial (10) = 30. */
const signIn: Handler = (req, { ledger, region }) => {
  const body = node(req.input, 'signIn');
  if (!body) return fail('输入参数signIn缺失');
  const opterNo = field(body, 'opter_no');
  if (!opterNo || !field(body, 'ip')) return fail('签到参数opter_no、ip不能为空');
  const t = beijing(req.now);
  const open = ledger.openSignIn(req.fixmedinsCode, opterNo, t.day);
  if (open) return ok({ signinoutb: { sign_time: open.sign_time, sign_no: open.sign_no } });
  const signNo = `${t.second}${region}${String(ledger.nextSerial('sign_no')).padStart(10, '0')}`;
  ledger.insertSignIn({ sign_no: signNo, fixmedins_code: req.fixmedinsCode, opter: opterNo, day: t.day, sign_time: t.display });
  return ok({ signinoutb: { sign_time: t.display, sign_no: signNo } });
};

const signOut: Handler = (req, { ledger }) => {
  const body = node(req.input, 'signOut');
  if (!body) return fail('输入参数signOut缺失');
  const row = ledger.findSignIn(field(body, 'sign_no'));
  if (!row || row.fixmedins_code !== req.fixmedinsCode || row.opter !== field(body, 'opter_no') || row.sign_out_time) {
    return fail(INVALID_SIGN_NO);
  }
  const time = beijing(req.now).display;
  ledger.closeSignIn(row.sign_no, time);
  return ok({ signoutoutb: { sign_time: time } });
};

/** Who a certificate names: an e-voucher token (01), an ID number (02) or a card number with its card_sn (03). */
export function personByCertificate(
  req: CentreRequest,
  state: CentreState,
  certType: string,
  certNo: string,
  cardSn: string,
): InsuredPerson | string {
  switch (certType) {
    case '01': {
      const token = state.ledger.findToken(certNo);
      if (!token || token.expires_at <= req.now.getTime()) return '电子凭证令牌无效或已过期';
      if (token.org_id !== req.fixmedinsCode) return '电子凭证令牌与定点医药机构不符';
      return findByPsnNo(token.psn_no) ?? UNKNOWN_PERSON;
    }
    case '02':
      return findByIdNo(certNo) ?? UNKNOWN_PERSON;
    case '03':
      if (!cardSn) return '社会保障卡卡识别码不能为空';
      return findByCard(certNo, cardSn) ?? UNKNOWN_PERSON;
    default:
      return '就诊凭证类型mdtrt_cert_type无效';
  }
}

/** The personal account's balance now: what the person started with, less what settlements took (net). */
export function accountBalance(records: CareRecords, person: InsuredPerson, insutype: string): number {
  const insurance = person.insurances.find((i) => i.insutype === insutype);
  const initial = insurance ? (parseAmount(insurance.balc) ?? 0) : 0;
  return insutype === '310' ? initial - records.accountSpent(person.psnNo) : initial;
}

const personInfo: Handler = (req, state) => {
  const data = node(req.input, 'data');
  if (!data) return fail('输入参数data缺失');
  const person = personByCertificate(req, state, field(data, 'mdtrt_cert_type'), field(data, 'mdtrt_cert_no'), field(data, 'card_sn'));
  if (typeof person === 'string') return fail(person);
  const suspended = person.insurances.some((i) => i.psnInsuStas === '2');
  return ok(
    {
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
      insuinfo: person.insurances.map((i) => ({
        balc: wireAmount(accountBalance(state.records, person, i.insutype)),
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
    suspended ? '该人员存在暂停参保的险种' : '',
  );
};

const TreatmentCheck = z.object({
  data: z.object({
    psn_no: code,
    insutype: code,
    fixmedins_code: code,
    med_type: code,
    begntime: dateTime,
    endtime: optional,
    dise_codg: optional,
  }),
});

/** 2001: whether the person's insurance of that type gives benefits now; a suspension says why not. */
const treatmentCheck: Handler = (req) => {
  const parsed = parse(TreatmentCheck, req.input);
  if (!parsed.ok) return parsed.answer;
  const { data } = parsed.data;
  if (data.fixmedins_code !== req.fixmedinsCode) return fail('定点医药机构编号与报文不符');
  const person = personFor(req, data.psn_no);
  if (isAnswer(person)) return person;
  const insurance = person.insurances.find((i) => i.insutype === data.insutype);
  if (!insurance) return fail('人员未参加该险种');
  const suspended = insurance.psnInsuStas !== '1';
  return ok({
    trtinfo: [
      {
        psn_no: person.psnNo,
        trt_chk_type: '10',
        fund_pay_type: data.insutype === '310' ? '310100' : '390100',
        trt_enjymnt_flag: suspended ? '0' : '1',
        begndate: insurance.psnInsuDate,
        enddate: suspended ? insurance.pausInsuDate : '',
        trt_chk_rslt: suspended ? `参保状态为暂停参保（${insurance.pausInsuDate}起），不享受待遇` : '',
      },
    ],
  });
};

export const IDENTITY_HANDLERS: Record<string, Handler> = { '9001': signIn, '9002': signOut, '1101': personInfo, '2001': treatmentCheck };

export function isSignedIn(req: CentreRequest, state: CentreState): boolean {
  const row = state.ledger.findSignIn(req.signNo);
  return Boolean(
    row && row.fixmedins_code === req.fixmedinsCode && row.opter === req.opter && row.day === beijing(req.now).day && !row.sign_out_time,
  );
}
