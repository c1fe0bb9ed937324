import { describe, expect, it } from 'vitest';
import type { ShiftSummary } from '../../../shared/shifts';
import { cashMoved, readDrawer } from './drawer-reading';

type DrawerSummary = Pick<ShiftSummary, 'channels' | 'depositRefunds' | 'depositRefundFen'>;
const summary = (
  cash: { count: number; amountFen: number; refundCount: number; refundFen: number },
  deposits = { depositRefunds: 0, depositRefundFen: 0 },
): DrawerSummary => ({
  channels: [
    { channel: 'wechat', count: 3, amountFen: 9_999, refundCount: 0, refundFen: 0 },
    { channel: 'cash', ...cash },
  ],
  ...deposits,
});

describe('the drawer count at the close (钱箱清点)', () => {
  it('the drawer should hold the cash taken less the cash paid back (wallets are not in it)', () => {
    expect(cashMoved(summary({ count: 2, amountFen: 3_537, refundCount: 1, refundFen: 1_037 }))).toBe(2_500);
  });
  it('a deposit surplus paid out at the window leaves the drawer too, and a shift with only that must be counted', () => {
    const paidOut = summary({ count: 0, amountFen: 0, refundCount: 0, refundFen: 0 }, { depositRefunds: 1, depositRefundFen: 32_050 });
    expect(cashMoved(paidOut)).toBe(-32_050);
    expect(readDrawer({ counted: '', float: '' }, paidOut)).toMatchObject({ kind: 'invalid', why: expect.stringMatching(/请清点钱箱/) });
  });
  it('a shift that moved cash must be counted; a count is read fen-exact with the float', () => {
    const moved = summary({ count: 1, amountFen: 1_037, refundCount: 0, refundFen: 0 });
    expect(readDrawer({ counted: '', float: '' }, moved)).toMatchObject({ kind: 'invalid', why: expect.stringMatching(/请清点钱箱/) });
    expect(readDrawer({ counted: '510.37', float: '500' }, moved)).toEqual({ kind: 'ok', count: { countedFen: 51_037, floatFen: 50_000 } });
    expect(readDrawer({ counted: '10.371', float: '' }, moved)).toMatchObject({ kind: 'invalid' });
  });
  it('a shift without cash may close uncounted, unless a float was typed', () => {
    const none = summary({ count: 0, amountFen: 0, refundCount: 0, refundFen: 0 });
    expect(readDrawer({ counted: '', float: '' }, none)).toEqual({ kind: 'none' });
    expect(readDrawer({ counted: '', float: '200' }, none)).toMatchObject({ kind: 'invalid' });
    expect(readDrawer({ counted: '0', float: '' }, none)).toEqual({ kind: 'ok', count: { countedFen: 0, floatFen: 0 } });
  });
});
