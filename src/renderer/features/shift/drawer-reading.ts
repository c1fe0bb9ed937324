import type { DrawerCount, ShiftSummary } from '../../../shared/shifts';
import { yuanInput } from '../../common/yuan-input';

export interface DrawerTyped {
  counted: string;
  float: string;
}

/** What the typed count means: nothing yet, a mistake to fix, or the count to send with the close. */
export type DrawerReading = { kind: 'none' } | { kind: 'invalid'; why: string } | { kind: 'ok'; count: DrawerCount };

/** The cash the shift moved (taken less paid back and deposits paid out): what the drawer should hold above its float. */
export function cashMoved(summary: Pick<ShiftSummary, 'channels' | 'depositRefundFen'>): number {
  const cash = summary.channels.find((c) => c.channel === 'cash');
  return (cash?.amountFen ?? 0) - (cash?.refundFen ?? 0) - summary.depositRefundFen;
}

/** A shift that took or paid back cash must be counted; one that did not may be closed without a count. */
export function readDrawer(typed: DrawerTyped, summary: Pick<ShiftSummary, 'channels' | 'depositRefunds'>): DrawerReading {
  const counted = yuanInput(typed.counted);
  const float = yuanInput(typed.float);
  const cash = summary.channels.find((c) => c.channel === 'cash');
  const mustCount = (cash?.count ?? 0) + (cash?.refundCount ?? 0) + summary.depositRefunds > 0 || float.kind === 'ok';
  if (counted.kind === 'invalid' || float.kind === 'invalid')
    return { kind: 'invalid', why: '金额格式不对：最多两位小数，例如 500 或 52.50' };
  if (counted.kind === 'empty') return mustCount ? { kind: 'invalid', why: '本班有现金收退，请清点钱箱并填写实点现金' } : { kind: 'none' };
  return { kind: 'ok', count: { countedFen: counted.fen, floatFen: float.kind === 'ok' ? float.fen : 0 } };
}
