/**
 * What a scanned code is, decided from its shape alone. Payment-code shapes are fixed by the networks; the
 * hospital-card shape and the e-voucher length window are per-hospital configuration.
 */
import type { ScanKind } from '../shared/domain';

export interface ClassifyRules {
  /**
   * Hospital patient card (就诊卡) printed as a barcode. Hospital configuration; the default fits cards printed
   * as "HC" + 8–12 digits. It always has to match the whole code, anchored or not.
   */
  hospitalCard: RegExp;
  /**
   * Byte-length window of an NHSA e-voucher QR candidate (printable ASCII). The platform does not publish the
   * format, so anything printable of plausible length that is not a payment code or a card is a candidate and
   * the e-voucher platform has the last word (ec.query).
   */
  nhsaEcLength: { min: number; max: number };
}

export const DEFAULT_CLASSIFY_RULES: ClassifyRules = {
  hospitalCard: /^HC\d{8,12}$/,
  nhsaEcLength: { min: 20, max: 512 },
};

/** WeChat Pay payment code (付款码): 18 digits starting 10–15. */
const WECHAT_PAY = /^1[0-5]\d{16}$/;
/** Alipay payment code (付款码): 16–24 digits starting 25–30. */
const ALIPAY_PAY = /^(?:2[5-9]|30)\d{14,22}$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

export function classifyCode(code: string, rules?: Partial<ClassifyRules>): ScanKind {
  const { hospitalCard, nhsaEcLength } = { ...DEFAULT_CLASSIFY_RULES, ...rules };
  if (WECHAT_PAY.test(code)) return 'wechat-pay';
  if (ALIPAY_PAY.test(code)) return 'alipay-pay';
  if (matchesWhole(hospitalCard, code)) return 'hospital-card';
  if (PRINTABLE_ASCII.test(code) && code.length >= nhsaEcLength.min && code.length <= nhsaEcLength.max) {
    return 'nhsa-ec';
  }
  return 'unknown';
}

const wholeCodePatterns = new WeakMap<RegExp, RegExp>();

/**
 * Anchors a configured pattern (an unanchored /HC\d+/ must not claim "XHC123") and drops /g and /y, which
 * keep lastIndex between calls and would make every other scan miss.
 */
function matchesWhole(pattern: RegExp, code: string): boolean {
  let whole = wholeCodePatterns.get(pattern);
  if (!whole) {
    whole = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''));
    wholeCodePatterns.set(pattern, whole);
  }
  return whole.test(code);
}
