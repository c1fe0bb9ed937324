/**
 * What every card reader (vendor library, serial frames) does with what the reader wrote: decode it (GBK or
 * UTF-8, per model) and check it field by field. Garbage becomes a warning and a `garbled` error, never a card.
 */
import { DeviceError } from '../errors';
import { parseReaderOutput, type ParsedCard, type ReaderTextEncoding } from '../parsers/card-info';

export const CARD_OUTPUT_TEXT = {
  garbled: (problem: string) => `读卡器返回的数据无法识别（${problem}），已丢弃`,
} as const;

/** How one kind of card is read from the reader's text (parseCardBas, parseResidentIdCard). */
export type CardParser<T> = (text: string) => ParsedCard<T>;

/** The card in the reader's output bytes; throws (and warns) `garbled` when they are not one. */
export function cardFromOutput<T>(
  bytes: Uint8Array,
  encoding: ReaderTextEncoding,
  parse: CardParser<T>,
  warn: (message: string) => void,
): T {
  const parsed = parseReaderOutput(bytes, encoding, parse);
  if (!parsed.ok) throw garbledOutput(parsed.problem, warn);
  return parsed.card;
}

/** Warns that the reader's output is garbage (`problem` says why) and returns the error to throw. */
export function garbledOutput(problem: string, warn: (message: string) => void): DeviceError {
  const message = CARD_OUTPUT_TEXT.garbled(problem);
  warn(message);
  return new DeviceError('garbled', message);
}
