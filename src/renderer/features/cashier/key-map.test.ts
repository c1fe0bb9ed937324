import { describe, expect, it } from 'vitest';
import type { OrderView, PaymentView } from '../../../shared/domain';
import { deskKeys, type DeskKeyInput } from './key-map';

const order = (state: OrderView['state'], extra: Partial<OrderView> = {}) =>
  ({ state, settleMode: 'insurance', payments: [], ...extra }) as unknown as OrderView;
const qr: PaymentView = {
  outTradeNo: 'T1',
  mode: 'precreate',
  wallet: 'wechat',
  amountFen: 100 as PaymentView['amountFen'],
  state: 'pending',
  qrCode: 'weixin://x',
  expiresAt: null,
  updatedAt: '',
};

function live(input: Partial<DeskKeyInput>): string[] {
  const keys = deskKeys({ identified: true, order: undefined, hasCompleted: false, busy: false, canCancelSettlement: true, ...input });
  return keys.filter((k) => k.enabled).map((k) => k.key);
}

describe('the key bar: which keys act in which state', () => {
  it('idle: identify keys only', () => {
    expect(live({ identified: false })).toEqual(['F2', 'F3', 'F6']);
  });
  it('an open order: F4 pre-settle or F8 self-pay; F5 only after F4', () => {
    expect(live({ order: order('open') })).toEqual(['F3', 'F4', 'F6', 'F8', 'Esc']);
    expect(live({ order: order('previewed') })).toEqual(['F3', 'F5', 'F6', 'Esc']);
  });
  it('awaiting payment: F1 cash, Alt+K card, F7 QR and Del undo; with the QR up none, Esc closes it', () => {
    expect(live({ order: order('awaiting-payment') })).toEqual(['F1', 'Alt+K', 'F3', 'F6', 'F7', 'Del', 'Esc']);
    const withQr = order('awaiting-payment', { payments: [qr] });
    expect(live({ order: withQr })).toEqual(['F3', 'F6', 'Esc']);
    expect(deskKeys({ identified: true, order: withQr, hasCompleted: false, busy: false, canCancelSettlement: true }).at(-1)?.label).toBe(
      '取消二维码',
    );
  });
  it('a running step rests every order key; F9 once an order is completed', () => {
    expect(live({ order: order('open'), busy: true })).toEqual(['F3', 'F6', 'Esc']);
    expect(live({ order: order('completed'), hasCompleted: true })).toEqual(['F3', 'F6', 'F9', 'Esc']);
  });
  it('交班 (Ctrl+J) is on the bar of an operator with a till, last, resting while a step runs', () => {
    expect(live({ hasTill: true, identified: false })).toEqual(['F2', 'F3', 'F6', 'Ctrl+J']);
    expect(live({ hasTill: true, order: order('open'), busy: true })).toEqual(['F3', 'F6', 'Esc']);
    expect(live({ identified: false })).not.toContain('Ctrl+J');
  });
  it('no Del and no F1 cash where they are not this operator’s steps (doctor, nurse)', () => {
    const keys = deskKeys({
      identified: true,
      order: order('awaiting-payment'),
      hasCompleted: false,
      busy: false,
      canCancelSettlement: false,
    });
    expect(keys.map((k) => k.key)).not.toContain('Del');
    expect(keys.map((k) => k.key)).not.toContain('F1');
    expect(keys.map((k) => k.key)).not.toContain('Alt+K');
    expect(live({ order: order('awaiting-payment'), canCancelSettlement: false })).toEqual(['F3', 'F6', 'F7', 'Esc']);
  });
  it('F1 is 现金收款, live only while the cash share is awaited, and rests during a step', () => {
    expect(deskKeys({ identified: true, order: undefined, hasCompleted: false, busy: false, canCancelSettlement: true })[0]).toEqual({
      key: 'F1',
      label: '现金收款',
      enabled: false,
    });
    expect(live({ order: order('awaiting-payment'), busy: true })).not.toContain('F1');
    expect(live({ order: order('completed') })).not.toContain('F1');
    expect(live({ order: order('completed') })).not.toContain('Alt+K');
  });
});
