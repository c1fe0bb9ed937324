import { yuanToFen, type Fen } from '../../shared/money';

/** An amount of yuan as typed into a field: at most two decimals, by the exact digit conversion (never floating point). */
export type YuanInput = { kind: 'empty' } | { kind: 'invalid' } | { kind: 'ok'; fen: Fen };

export function yuanInput(text: string): YuanInput {
  const t = text.trim();
  if (t === '') return { kind: 'empty' };
  if (!/^\d{1,7}(\.\d{0,2})?$/.test(t)) return { kind: 'invalid' };
  return { kind: 'ok', fen: yuanToFen(t.endsWith('.') ? t.slice(0, -1) : t) };
}
