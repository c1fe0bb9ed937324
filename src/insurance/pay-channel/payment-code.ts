/**
 * Customer-presented payment codes (付款码) by their published prefixes: WeChat — 18 digits starting 10–15;
 * Alipay — 16 to 24 digits starting 25–30. The scan box also reads e-voucher QRs and other codes, so this
 * decides whether a scan is a payment at all before anything is sent.
 */
export type PaymentWallet = 'wechat' | 'alipay';

export function classifyPaymentCode(code: string): PaymentWallet | undefined {
  if (/^1[0-5]\d{16}$/.test(code)) return 'wechat';
  if (/^(2[5-9]|30)\d{14,22}$/.test(code)) return 'alipay';
  return undefined;
}

/** For logs and screens: a payment code is a bearer credential for a minute — show its ends only. */
export function maskPaymentCode(code: string): string {
  return code.length <= 8 ? '*'.repeat(code.length) : `${code.slice(0, 4)}${'*'.repeat(code.length - 8)}${code.slice(-4)}`;
}
