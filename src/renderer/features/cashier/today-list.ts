import type { OrderView } from '../../../shared/domain';
import type { KeyState } from './key-map';

/** 张三 → 张*, 欧阳明华 → 欧**华: a passer-by at the window reads the list too (the slip keeps the full name). */
export function maskPersonName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** The row the arrow keys land on: one step, held inside the list; an empty list has none. */
export function moveSelection(index: number, step: -1 | 1, length: number): number {
  if (length === 0) return -1;
  return Math.min(length - 1, Math.max(0, index + step));
}

/** Whether a key press belongs to a field being typed in (the ID number), not to the list. */
export function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** The next step after a refused refund, by who refused it: HIS (drugs dispensed) or the centre. */
export function refundRefusalNextStep(words: string): string {
  if (words.includes('医保中心')) return '原结算保持不变。请联系医保科核实该笔结算能否撤销（如跨日、已对账），核实后再退费。';
  if (/发药|退药|药房/.test(words)) return '药品已发出：请患者先到药房办理退药，药房确认后再按 Del 退费。';
  return '原结算保持不变。请按提示与 HIS（收费处）核实后再按 Del 退费。';
}

/** The detail's keys: 补打 for a finished bill (the refund slip for a refunded one), 退费 for a completed one (who may), Esc back to the list. */
export function detailKeys(order: OrderView, input: { canRefund: boolean; busy: boolean }): KeyState[] {
  const refunded = order.state === 'refunded';
  const keys: KeyState[] = [
    { key: 'F9', label: refunded ? '打印退费凭证' : '补打结算单', enabled: !input.busy && (order.state === 'completed' || refunded) },
  ];
  if (input.canRefund) keys.push({ key: 'Del', label: '退费', enabled: !input.busy && order.state === 'completed' });
  keys.push({ key: 'Esc', label: '返回列表', enabled: true });
  return keys;
}
