import { fen, type Fen } from '../../../shared/money';
import { yuanInput } from '../../common/yuan-input';

/** What the cashier has typed as the notes handed over (收款), against the share due. */
export type Tender =
  | { kind: 'empty' }
  | { kind: 'invalid' }
  | { kind: 'short'; tenderedFen: Fen; shortFen: Fen }
  | { kind: 'ok'; tenderedFen: Fen; changeFen: Fen };

/** Yuan with at most two decimals (50 · 50.5 · 50.50), fen-exact. */
export function tenderOf(text: string, dueFen: Fen): Tender {
  const typed = yuanInput(text);
  if (typed.kind !== 'ok') return typed;
  const tenderedFen = typed.fen;
  if (tenderedFen < dueFen) return { kind: 'short', tenderedFen, shortFen: fen(dueFen - tenderedFen) };
  return { kind: 'ok', tenderedFen, changeFen: fen(tenderedFen - dueFen) };
}
