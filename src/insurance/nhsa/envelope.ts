/**
 * The two-ends envelope (接口规范 "输入/输出" common parameters). The request carries every field, empty
 * strings included, because provincial gateways reject requests with missing keys. The response is parsed
 * tolerantly: infcode arrives as 0 or "0", optional texts as null or absent.
 */
import { z } from 'zod';
import { infTime } from './beijing-time';

export interface RequestEnvelope {
  infno: string;
  msgid: string;
  mdtrtarea_admvs: string;
  insuplc_admdvs: string;
  recer_sys_code: string;
  dev_no: string;
  dev_safe_info: string;
  cainfo: string;
  signtype: string;
  infver: string;
  opter_type: '1' | '2' | '3';
  opter: string;
  opter_name: string;
  inf_time: string;
  fixmedins_code: string;
  fixmedins_name: string;
  sign_no: string;
  /** The transaction input as an object (plain profile) or its Base64 ciphertext (sm profile). */
  input: unknown;
  enc_type: string;
}

/** The protection a profile applies to the input: the only envelope fields that depend on the profile. */
export type SealedInput = Pick<RequestEnvelope, 'input' | 'cainfo' | 'signtype' | 'enc_type'>;

export interface EnvelopeHeader {
  infno: string;
  msgid: string;
  time: Date;
  institution: { code: string; name: string; admdvs: string };
  insuplcAdmdvs: string;
  recerSysCode: string;
  infver: string;
  devNo: string;
  devSafeInfo: string;
  operator: { opter: string; opterName: string; opterType: '1' | '2' | '3' };
  signNo: string;
}

export function buildRequestEnvelope(header: EnvelopeHeader, sealed: SealedInput): RequestEnvelope {
  return {
    infno: header.infno,
    msgid: header.msgid,
    mdtrtarea_admvs: header.institution.admdvs,
    insuplc_admdvs: header.insuplcAdmdvs,
    recer_sys_code: header.recerSysCode,
    dev_no: header.devNo,
    dev_safe_info: header.devSafeInfo,
    cainfo: sealed.cainfo,
    signtype: sealed.signtype,
    infver: header.infver,
    opter_type: header.operator.opterType,
    opter: header.operator.opter,
    opter_name: header.operator.opterName,
    inf_time: infTime(header.time),
    fixmedins_code: header.institution.code,
    fixmedins_name: header.institution.name,
    sign_no: header.signNo,
    input: sealed.input,
    enc_type: sealed.enc_type,
  };
}

const optionalText = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value == null ? '' : String(value)));

const ResponseEnvelopeSchema = z.object({
  infcode: z.union([
    z.number().int(),
    z
      .string()
      .trim()
      .regex(/^-?\d+$/)
      .transform(Number),
  ]),
  inf_refmsgid: optionalText,
  refmsg_time: optionalText,
  respond_time: optionalText,
  err_msg: optionalText,
  warn_msg: optionalText,
  cainfo: optionalText,
  signtype: optionalText,
  /** An object (plain), a Base64 ciphertext (sm), or absent on errors. */
  output: z.unknown().optional(),
});

export type ResponseEnvelope = z.output<typeof ResponseEnvelopeSchema>;

export type ParsedResponse = { ok: true; envelope: ResponseEnvelope } | { ok: false; detail: string };

export function parseResponseEnvelope(bodyText: string): ParsedResponse {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return { ok: false, detail: `response is not JSON (${bodyText.length} bytes)` };
  }
  const parsed = ResponseEnvelopeSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, detail: `response envelope: ${z.prettifyError(parsed.error).replace(/\s+/g, ' ')}` };
  }
  return { ok: true, envelope: parsed.data };
}
