/**
 * 1101 person info (人员信息获取): who the patient is and under which insurances, from an e-voucher token
 * (cert type 01), an ID card number (02) or a social-security card (03, with card_sn).
 */
import { z } from 'zod';
import { list, numeric, requiredText, text, yuanAsFen } from '../wire';
import { defineTransaction } from './define';

const PersonInfoInput = z
  .object({
    /** 01 e-voucher (certNo = ecToken), 02 resident ID card (certNo = ID number), 03 social-security card. */
    certType: z.enum(['01', '02', '03']),
    certNo: z.string().trim().min(1).max(50),
    cardSn: z.string().max(32).optional(),
    /** Certificate type of `certno`; "01" is the resident ID card. */
    psnCertType: z.string().max(6).optional(),
    psnName: z.string().max(50).optional(),
  })
  .refine((input) => input.certType !== '03' || Boolean(input.cardSn), {
    message: 'cardSn (卡识别码) is required for a social-security card',
    path: ['cardSn'],
  });

const Baseinfo = z.object({
  psn_no: requiredText,
  psn_cert_type: text,
  certno: text,
  psn_name: requiredText,
  gend: text,
  naty: text,
  brdy: text,
  age: numeric,
});

const Insuinfo = z
  .object({
    balc: yuanAsFen,
    insutype: requiredText,
    psn_type: text,
    cvlserv_flag: text,
    insuplc_admdvs: requiredText,
    emp_name: text,
    psn_insu_stas: text,
    psn_insu_date: text,
    paus_insu_date: text,
  })
  .transform(({ balc, ...rest }) => ({ ...rest, balanceFen: balc }));

const Idetinfo = z.object({
  psn_idet_type: text,
  psn_type_lv: text,
  memo: text,
  begntime: text,
  endtime: text,
  emp_name: text,
});

const PersonInfoOutput = z.object({
  baseinfo: Baseinfo,
  insuinfo: list(Insuinfo),
  idetinfo: list(Idetinfo),
});

export const personInfo = defineTransaction({
  infno: '1101',
  input: PersonInfoInput,
  toWire: (input) => ({
    data: {
      mdtrt_cert_type: input.certType,
      mdtrt_cert_no: input.certNo,
      card_sn: input.cardSn ?? '',
      begntime: '',
      psn_cert_type: input.psnCertType ?? '01',
      // With an ID card the number is also the certificate number; otherwise only if the caller knows it.
      certno: input.certType === '02' ? input.certNo : '',
      psn_name: input.psnName ?? '',
    },
  }),
  output: PersonInfoOutput,
});

export type PersonInfoInput = z.input<typeof PersonInfoInput>;
export type PersonInfo = z.output<typeof PersonInfoOutput>;
export type PersonInsurance = PersonInfo['insuinfo'][number];
