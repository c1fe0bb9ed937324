import { describe, expect, it } from 'vitest';
import { encodeGbk } from '../../simulators/devices/gbk';
import { formatCardBas, formatIdCard, TRAINING_CARDS, TRAINING_ID_CARDS } from '../../simulators/devices/training-cards';
import { cardHolderQuery, decodeReaderText, parseCardBas, parseReaderOutput, parseResidentIdCard } from './card-info';

const CARD = TRAINING_CARDS[0]!;
const ID_CARD = TRAINING_ID_CARDS[0]!;

describe('decodeReaderText', () => {
  it('decodes GBK and UTF-8 as told, and refuses bytes invalid in that encoding', () => {
    expect(decodeReaderText(encodeGbk('张三|'), 'gbk')).toBe('张三|');
    expect(decodeReaderText(Buffer.from('张三|'), 'utf-8')).toBe('张三|');
    expect(decodeReaderText(Uint8Array.of(0xd5, 0xc5, 0xc8), 'utf-8')).toBeUndefined();
    expect(decodeReaderText(Uint8Array.of(0x81, 0x30, 0x81), 'gbk')).toBeUndefined();
  });

  it('auto: takes UTF-8 for names in UTF-8, GBK for GBK bytes — even ones that happen to be valid UTF-8', () => {
    expect(decodeReaderText(Buffer.from('买买提·艾力|X1|'), 'auto')).toBe('买买提·艾力|X1|');
    expect(decodeReaderText(encodeGbk('陈建国|E35020101|'), 'auto')).toBe('陈建国|E35020101|');
    // GBK "莫" is 0xC4 0xAA: as UTF-8 that is "Ī", a letter no Chinese name has.
    const gbkValidAsUtf8 = encodeGbk('莫');
    expect(Buffer.from(gbkValidAsUtf8).toString('utf8')).toBe('Ī');
    expect(decodeReaderText(gbkValidAsUtf8, 'auto')).toBe('莫');
    // Three GB2312 characters whose bytes also read as two CJK characters in UTF-8: GBK wins.
    const both = Uint8Array.of(0xe4, 0xa1, 0xb0, 0xe4, 0xb0, 0xa1);
    expect([...Buffer.from(both).toString('utf8')].length).toBe(2);
    expect(decodeReaderText(both, 'auto')).toBe(new TextDecoder('gbk').decode(both));
  });

  it('decodes before splitting: a GBK trail byte 0x7C is not a field separator', () => {
    const char = new TextDecoder('gbk').decode(Uint8Array.of(0x81, 0x7c));
    const bytes = encodeGbk(formatCardBas({ ...CARD, name: `${char}三` }));
    expect(bytes.includes(0x7c)).toBe(true);
    const parsed = parseReaderOutput(bytes, 'gbk', parseCardBas);
    expect(parsed).toMatchObject({ ok: true, card: { name: `${char}三`, cardNo: CARD.cardNo } });
  });
});

describe('parseCardBas', () => {
  it('reads the 11 fields of ReadCardBas and gives the 1101 inputs (cert type 03)', () => {
    const parsed = parseCardBas(formatCardBas(CARD));
    expect(parsed).toEqual({ ok: true, card: { ...CARD } });
    if (!parsed.ok) return;
    expect(cardHolderQuery(parsed.card)).toEqual({
      certType: '03',
      certNo: CARD.cardNo,
      cardSn: CARD.cardSn,
      insuredRegion: CARD.region,
    });
  });

  it('accepts the example of the MOHRSS documentation, with or without the trailing |', () => {
    const text =
      '639900|111111198101011110|X00000019|639900D15600000500BF7C7A48FB4966|阿炳|00814E43238697159900BF7C7A|1.00|20101001|20201001|410100813475||';
    expect(parseCardBas(text)).toMatchObject({ ok: true, card: { region: '639900', name: '阿炳', terminalDeviceNo: '' } });
    // Without the trailing | (some libraries omit it); an empty last field would then be indistinguishable.
    expect(parseCardBas(text.replace('410100813475||', '410100813475|01'))).toMatchObject({ ok: true, card: { terminalDeviceNo: '01' } });
  });

  it('upper-cases an ID number written with a small x', () => {
    const parsed = parseCardBas(formatCardBas({ ...CARD, ssn: '35020319680412203x' }));
    expect(parsed).toMatchObject({ ok: true, card: { ssn: '35020319680412203X' } });
  });

  it.each([
    ['a field too few', formatCardBas(CARD).replace(`${CARD.name}|`, ''), /字段数/],
    ['a field too many', `${formatCardBas(CARD)}extra|`, /字段数/],
    ['fields shifted by one', `|${formatCardBas(CARD)}`.slice(0, -1), /字段数|格式不符/],
    ['a region that is not 6 digits', formatCardBas({ ...CARD, region: '3502' }), /发卡地区/],
    ['an empty card number', formatCardBas({ ...CARD, cardNo: '' }), /卡号/],
    ['an empty name', formatCardBas({ ...CARD, name: '' }), /姓名/],
    ['a bad date', formatCardBas({ ...CARD, expiresOn: '2031-03-01' }), /卡有效期/],
    ['a control character', formatCardBas({ ...CARD, name: '张\u0007三' }), /控制字符/],
    ['nothing at all', '', /字段数/],
  ])('refuses %s', (_, text, problem) => {
    const parsed = parseCardBas(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });
});

describe('parseResidentIdCard', () => {
  it('reads the 9 fields of ReadSFZ', () => {
    expect(parseResidentIdCard(formatIdCard(ID_CARD))).toEqual({ ok: true, card: { ...ID_CARD } });
    expect(parseResidentIdCard(formatIdCard({ ...ID_CARD, expiresOn: '长期' }))).toMatchObject({ ok: true, card: { expiresOn: '长期' } });
  });

  it('refuses a wrong ID number or field count', () => {
    expect(parseResidentIdCard(formatIdCard({ ...ID_CARD, idNo: '12345' })).ok).toBe(false);
    expect(parseResidentIdCard(formatCardBas(CARD)).ok).toBe(false);
  });
});
