/**
 * Test control of native/libsscard, the fake vendor card-reading library: what card the "reader" holds and
 * how it fails. It calls the library's Sim* functions through koffi in the same process that reads through
 * it, so both sides see the same reader.
 */
import koffi from 'koffi';
import { encodeGbk } from './gbk';
import { formatCardBas, formatIdCard, type EmulatedCard, type EmulatedIdCard } from './training-cards';

export interface NativeCardReaderControl {
  /** Puts a card (and optionally an ID card) on the reader, written in GBK or UTF-8. */
  insert(card: EmulatedCard | null, idCard?: EmulatedIdCard | null, encoding?: 'gbk' | 'utf-8'): void;
  /** Puts these exact output bytes on the reader: garbage, a missing NUL, a wrong field count. */
  insertRaw(cardBas: Uint8Array | null, idCard?: Uint8Array | null): void;
  /** Every read returns `code` (0 = normal) until changed: -1 no card, -11 no reader, -2201 needs HSM. */
  failWith(code: number): void;
  /** Every read first waits `ms`; 'forever' waits until release(). */
  delayReads(ms: number | 'forever'): void;
  /** Ends the waits of reads in progress. */
  release(): void;
  readCount(): number;
  reset(): void;
}

export function controlNativeCardReader(libraryPath: string): NativeCardReaderControl {
  const library = koffi.load(libraryPath);
  const simSetCard = library.func('long SimSetCard(const uint8_t *cardBas, long cardBasLen, const uint8_t *sfz, long sfzLen)');
  const simSetResult = library.func('long SimSetResult(long code)');
  const simSetDelay = library.func('long SimSetDelay(long ms)');
  const simRelease = library.func('void SimRelease(void)');
  const simReadCount = library.func('long SimReadCount(void)');
  const simReset = library.func('void SimReset(void)');

  const insertRaw = (cardBas: Uint8Array | null, idCard: Uint8Array | null = null) => {
    const result = simSetCard(cardBas, cardBas?.length ?? -1, idCard, idCard?.length ?? -1) as number;
    if (Number(result) !== 0) throw new RangeError('card output too long for the fake reader');
  };
  const encode = (text: string, encoding: 'gbk' | 'utf-8') => (encoding === 'gbk' ? encodeGbk(text) : Buffer.from(text, 'utf8'));
  return {
    insert(card, idCard = null, encoding = 'gbk') {
      insertRaw(card && encode(formatCardBas(card), encoding), idCard && encode(formatIdCard(idCard), encoding));
    },
    insertRaw,
    failWith: (code) => void simSetResult(code),
    delayReads: (ms) => void simSetDelay(ms === 'forever' ? -1 : ms),
    release: () => void simRelease(),
    readCount: () => Number(simReadCount()),
    reset: () => void simReset(),
  };
}
