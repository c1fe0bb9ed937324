/**
 * An amount in Chinese capitals (人民币大写) as banks and slips write it, from integer fen — the rules of the
 * PBOC's 《正确填写票据和结算凭证的基本规定》 (annex to 《支付结算办法》):
 * - 零 for the zeros in the middle, one 零 for a run of them, none for zeros that end a 4-digit section (壹拾万柒仟)
 *   unless a whole section is 0 (壹亿零壹仟);
 * - 万 / 亿 section units (万亿 above 9999亿), and 壹拾 spelled out (¥15 is 壹拾伍元, never 拾伍元);
 * - 元 followed by 整 when there are no 分 (also after 角: "到角为止的可以不写整字" — we write it, as the brief's
 *   slip does); 分 is never followed by 整;
 * - where the rule allows 零 or not (元 digit 0 with 角, e.g. ¥1,680.32), we take the regulation's first form
 *   and write it: 壹仟陆佰捌拾元零叁角贰分; 角 0 with 分 always gets 零: ¥325.04 → 叁佰贰拾伍元零肆分.
 * Works on the digits only, never on floating point.
 */
import { fen, type Fen } from './money';

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
/** Units within a 4-digit section, from its last digit up. */
const PLACE = ['', '拾', '佰', '仟'] as const;

function digit(d: number): string {
  return DIGITS[d] ?? '';
}

/** The unit after a 4-digit section (from the lowest); the 万亿 section is 万 when the 亿 section is not 0. */
function sectionUnit(index: number, sections: readonly number[]): string {
  if (index === 0) return '';
  if (index === 1) return '万';
  if (index === 2) return '亿';
  return sections[2] === 0 ? '万亿' : '万';
}

/** 1204 → 壹仟贰佰零肆; 100010000 → 壹亿零壹万 (yuan, no unit). 0 → ''. */
function integerCapitals(yuan: number): string {
  const sections: number[] = [];
  for (let rest = yuan; rest > 0; rest = Math.floor(rest / 10_000)) sections.push(rest % 10_000);
  let out = '';
  let zeroPending = false;
  for (let i = sections.length - 1; i >= 0; i--) {
    const section = sections[i] ?? 0;
    if (section === 0) {
      zeroPending = out !== '';
      continue;
    }
    for (let place = 3; place >= 0; place--) {
      const d = Math.floor(section / 10 ** place) % 10;
      if (d === 0) {
        zeroPending = out !== '';
        continue;
      }
      if (zeroPending) out += '零';
      zeroPending = false;
      out += digit(d) + PLACE[place];
    }
    out += sectionUnit(i, sections);
    // A section's own trailing zeros need no 零 after its unit (¥107,000 → 壹拾万柒仟, the regulation's first form).
    zeroPending = false;
  }
  return out;
}

/**
 * ¥1,204.60 (120460 fen) → 壹仟贰佰零肆元陆角整; 0 → 零元整; 5 → 伍分; negative amounts start with 负.
 * Any safe integer of fen is accepted (up to 90万亿 yuan).
 */
export function fenToCapitals(amount: Fen | number): string {
  const n = fen(amount);
  if (n < 0) return `负${fenToCapitals(-n)}`;
  const yuan = Math.floor(n / 100);
  const jiao = Math.floor(n / 10) % 10;
  const fenDigit = n % 10;
  if (n === 0) return '零元整';
  let out = yuan > 0 ? `${integerCapitals(yuan)}元` : '';
  if (jiao === 0 && fenDigit === 0) return `${out}整`;
  if (jiao > 0) {
    // 元 digit 0 (¥1,680.32) takes the regulation's first form, with 零.
    if (yuan > 0 && yuan % 10 === 0) out += '零';
    out += `${digit(jiao)}角`;
  } else if (yuan > 0) {
    out += '零';
  }
  return fenDigit === 0 ? `${out}整` : `${out}${digit(fenDigit)}分`;
}
