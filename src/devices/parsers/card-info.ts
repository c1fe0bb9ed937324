/**
 * The card-reading libraries' output, parsed: `|`-separated fields with a trailing `|`, as written by
 * `ReadCardBas` (social-security card, 11 fields) and `ReadSFZ` (resident ID card, 9 fields) of the unified
 * reader ABI (protocol-research.md §4.1/§4.2), and by serial readers that answer with the same string.
 *
 * Every field is checked for its shape. A string that does not fit is refused as a whole: a shifted field
 * would put a name where a card number belongs, and a wrong card number in 1101 is worse than no read.
 */
import type { CertType } from '../../shared/domain';
import { hasControlCharacter } from './code-text';

/**
 * How the library encodes text. Chinese vendor libraries write GBK (the Windows code page 936 they were built
 * for); some newer ones UTF-8. Only the name (and an ID card's address) is not ASCII. `auto` is for a library
 * of unknown habits: it takes the reading that is valid, and when both are, UTF-8 only if that reading looks
 * like a Chinese name and the GBK reading does not (GB2312 characters). GBK bytes of a common name are almost
 * never valid UTF-8, but short UTF-8 names can be valid GBK, so `auto` can misread a name — never a card
 * number, which is ASCII either way. Set the model's encoding when it is known.
 */
export type ReaderTextEncoding = 'gbk' | 'utf-8' | 'auto';

const decoders = {
  'utf-8': new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }),
  gbk: new TextDecoder('gbk', { fatal: true }),
};

/** The text of a library's output buffer, or undefined when the bytes are not valid in that encoding. */
export function decodeReaderText(bytes: Uint8Array, encoding: ReaderTextEncoding): string | undefined {
  if (encoding !== 'auto') return tryDecode(encoding, bytes);
  const utf8 = tryDecode('utf-8', bytes);
  const gbk = tryDecode('gbk', bytes);
  if (utf8 === undefined || gbk === undefined || utf8 === gbk) return gbk ?? utf8;
  return looksLikeChineseText(utf8) && !isGb2312(bytes) ? utf8 : gbk;
}

/** ASCII, the middle dot, and characters of three UTF-8 bytes and more (汉字); no Latin or Cyrillic letters. */
function looksLikeChineseText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x80 && unit !== 0xb7 && unit < 0x800) return false;
  }
  return true;
}

/** ASCII and GB2312 characters (lead 0xA1–0xF7, trail 0xA1–0xFE): what names in GBK are made of. */
function isGb2312(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! < 0x80) continue;
    const lead = bytes[i]!;
    const trail = bytes[++i] ?? 0;
    if (lead < 0xa1 || lead > 0xf7 || trail < 0xa1 || trail > 0xfe) return false;
  }
  return true;
}

function tryDecode(encoding: 'utf-8' | 'gbk', bytes: Uint8Array): string | undefined {
  try {
    // Decoding first and splitting after matters: a GBK trail byte can be 0x7C, the `|` separator.
    return decoders[encoding].decode(bytes);
  } catch {
    return undefined;
  }
}

/** The social-security card (社会保障卡) as ReadCardBas reports it. */
export interface SocialSecurityCard {
  /** 发卡地区行政区划代码: the insured person's region, the first 6 characters of the card id code */
  region: string;
  /** 社会保障号码 (for citizens, the ID-card number) */
  ssn: string;
  /** 卡号 — mdtrt_cert_no in 1101 with cert type 03 */
  cardNo: string;
  /** 卡识别码 — card_sn in 1101 */
  cardSn: string;
  name: string;
  /** 卡复位信息 (historical bytes of the ATR), hex */
  atr: string;
  /** 规范版本, e.g. "3.00" for third-generation cards */
  specVersion: string;
  /** yyyyMMdd, or '' when the reader leaves it out */
  issuedOn: string;
  expiresOn: string;
  /** 终端机编号 / 终端设备号 of the reader */
  terminalNo: string;
  terminalDeviceNo: string;
}

/** The resident ID card (居民身份证) as ReadSFZ reports it. */
export interface ResidentIdCard {
  name: string;
  sex: string;
  ethnicity: string;
  /** yyyyMMdd */
  birthDate: string;
  address: string;
  idNo: string;
  issuedOn: string;
  /** yyyyMMdd or 长期 */
  expiresOn: string;
  issuer: string;
}

/** What 1101 needs to look the card holder up (mdtrt_cert_type 03). */
export interface CardHolderQuery {
  certType: Extract<CertType, '03'>;
  certNo: string;
  cardSn: string;
  insuredRegion: string;
}

export function cardHolderQuery(card: SocialSecurityCard): CardHolderQuery {
  return { certType: '03', certNo: card.cardNo, cardSn: card.cardSn, insuredRegion: card.region };
}

export type ParsedCard<T> = { ok: true; card: T } | { ok: false; problem: string };

/** `upper`: ID numbers end in X, which some libraries write as x; 1101 wants X. */
type FieldRule = { pattern: RegExp; label: string; upper?: true };

const printable = (max: number, min = 0): RegExp => new RegExp(`^[^|]{${min},${max}}$`);
const DATE = /^(?:\d{8})?$/;

const CARD_BAS_FIELDS: readonly [keyof SocialSecurityCard, FieldRule][] = [
  ['region', { pattern: /^\d{6}$/, label: '发卡地区' }],
  ['ssn', { pattern: /^[0-9A-Z]{15,18}$/i, label: '社会保障号码', upper: true }],
  ['cardNo', { pattern: /^[0-9A-Z]{6,20}$/, label: '卡号' }],
  ['cardSn', { pattern: /^[0-9A-Za-z]{16,40}$/, label: '卡识别码' }],
  ['name', { pattern: printable(50, 1), label: '姓名' }],
  ['atr', { pattern: /^[0-9A-Fa-f]{0,64}$/, label: '卡复位信息' }],
  ['specVersion', { pattern: /^[0-9.]{0,8}$/, label: '规范版本' }],
  ['issuedOn', { pattern: DATE, label: '发卡日期' }],
  ['expiresOn', { pattern: DATE, label: '卡有效期' }],
  ['terminalNo', { pattern: printable(40), label: '终端机编号' }],
  ['terminalDeviceNo', { pattern: printable(40), label: '终端设备号' }],
];

const ID_CARD_FIELDS: readonly [keyof ResidentIdCard, FieldRule][] = [
  ['name', { pattern: printable(50, 1), label: '姓名' }],
  ['sex', { pattern: printable(4, 1), label: '性别' }],
  ['ethnicity', { pattern: printable(20), label: '民族' }],
  ['birthDate', { pattern: /^\d{8}$/, label: '出生日期' }],
  ['address', { pattern: printable(120), label: '住址' }],
  ['idNo', { pattern: /^\d{17}[\dX]$/i, label: '身份证号', upper: true }],
  ['issuedOn', { pattern: DATE, label: '签发日期' }],
  ['expiresOn', { pattern: /^(?:\d{8}|长期)?$/, label: '有效期' }],
  ['issuer', { pattern: printable(60), label: '签发机关' }],
];

/** Decodes a reader's output and parses it; a decoding failure is a problem like any other. */
export function parseReaderOutput<T>(
  bytes: Uint8Array,
  encoding: ReaderTextEncoding,
  parse: (text: string) => ParsedCard<T>,
): ParsedCard<T> {
  const text = decodeReaderText(bytes, encoding);
  return text === undefined ? { ok: false, problem: '文字编码错误' } : parse(text);
}

export function parseCardBas(text: string): ParsedCard<SocialSecurityCard> {
  return parseFields(text, CARD_BAS_FIELDS);
}

export function parseResidentIdCard(text: string): ParsedCard<ResidentIdCard> {
  return parseFields(text, ID_CARD_FIELDS);
}

function parseFields<T extends object>(text: string, rules: readonly [keyof T, FieldRule][]): ParsedCard<T> {
  if (hasControlCharacter(text)) return { ok: false, problem: '含有控制字符' };
  const fields = text.split('|');
  if (fields.at(-1) === '') fields.pop(); // the trailing `|` the ABI puts after the last field
  if (fields.length !== rules.length) return { ok: false, problem: `字段数为 ${fields.length}，应为 ${rules.length}` };
  const card: Record<string, string> = {};
  for (const [index, [key, rule]] of rules.entries()) {
    const value = fields[index]!.trim();
    if (!rule.pattern.test(value)) return { ok: false, problem: `${rule.label}格式不符` };
    card[key as string] = rule.upper ? value.toUpperCase() : value;
  }
  return { ok: true, card: card as T };
}
