/**
 * The e-voucher platform's decode (ec.query): QR text -> identity + a one-off ecToken that 1101 (cert type 01)
 * accepts for `tokenTtlMs`, for the institution that asked.
 */
import { z } from 'zod';
import type { Ledger } from './ledger';
import { findByVoucherQr } from './population';
import { randomToken, type Random } from './random';

const EcQuerySchema = z.object({
  transType: z.literal('ec.query'),
  orgId: z.string().min(1),
  data: z.object({
    orgId: z.string().min(1),
    businessType: z.string().regex(/^\d{5}$/),
    operatorId: z.string().min(1),
    operatorName: z.string().min(1),
    officeId: z.string().optional(),
    officeName: z.string().optional(),
    ecQrCode: z.string().min(1),
  }),
});

export interface VoucherReply {
  code: number;
  message: string;
  data?: string;
  orgId?: string;
}

export function ecQuery(body: unknown, deps: { ledger: Ledger; random: Random; now: Date; tokenTtlMs: number }): VoucherReply {
  const parsed = EcQuerySchema.safeParse(body);
  if (!parsed.success) return { code: 1001, message: '请求参数错误' };
  const { orgId, data } = parsed.data;
  if (data.orgId !== orgId) return { code: 1001, message: '请求参数错误: orgId不一致' };
  const person = findByVoucherQr(data.ecQrCode);
  if (!person) return { code: 2001, message: '电子凭证二维码无效或已过期' };

  const ecToken = randomToken(deps.random, 32);
  deps.ledger.insertToken({
    token: ecToken,
    psn_no: person.psnNo,
    org_id: orgId,
    business_type: data.businessType,
    expires_at: deps.now.getTime() + deps.tokenTtlMs,
  });
  const identity = {
    ecToken,
    idNo: person.idNo,
    idType: '01',
    userName: person.name,
    insuOrg: person.insurances[0]?.insuplcAdmdvs ?? '',
    ecIndexNo: randomToken(deps.random, 32),
    gender: person.gend,
    birthday: person.brdy.replaceAll('-', ''),
    nationality: '156',
    email: '',
    extra: '',
  };
  return { code: 0, message: '处理成功', data: JSON.stringify(identity), orgId };
}
