/**
 * Bank card at the window through the saga (issue 13 item 3): the real POS driver on a real pty (socat) with the
 * terminal emulator and its own ledger on the far end, the real outbox and SQLite file; the centre and HIS
 * scripted (testing/saga-kit). Approved → HIS books a card line; declined → the insurance part undone; the
 * answer lost after the charge → 查询 finds it (one charge); still unknown past the window → 撤销 (voided).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { HisPaymentLine } from '../../insurance/his';
import { POS_TERMINAL_MODELS } from '../../devices/models';
import type { DeviceStatusView } from '../../shared/domain';
import { POS_TERMINAL_TEXT, SerialPosTerminal } from '../../devices/drivers/pos-terminal';
import { EventLog } from '../../devices/testing/event-log';
import { createSerialPortTransport } from '../../devices/transports/serial-transport';
import { PosTerminalEmulator } from '../../simulators/devices/pos-terminal-emulator';
import { createPtyPair, isSocatAvailable, SOCAT_MISSING_REASON } from '../../simulators/devices/pty-pair';
import { CashShare } from './cash-share';
import { Completion } from './completion';
import { CARD_QUERY_TIMING } from './movements/card-payment';
import { CASHIER, sagaKit, type SagaKit } from './testing/saga-kit';
import { Undo } from './undo';
import { missing } from '../../../test/harness/prerequisites';

const MODEL = { ...POS_TERMINAL_MODELS['pos-unionpay-9600'], saleTimeoutMs: 400, commandTimeoutMs: 400 };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function rig() {
  const cable = await createPtyPair();
  cleanups.push(() => cable.close());
  const emulator = new PosTerminalEmulator(cable.devicePath);
  cleanups.push(() => emulator.close());
  const pos = new SerialPosTerminal({ id: 'pos1', model: MODEL, path: cable.stationPath, transport: createSerialPortTransport() });
  cleanups.push(() => pos.dispose());
  const statuses = new EventLog<DeviceStatusView>(pos.onStatus);
  cleanups.push(() => statuses.dispose());
  const ready = statuses.waitFor((s) => s.detail === POS_TERMINAL_TEXT.ready('SIM-POS100 v1.0'), { what: 'status answer' });
  pos.start();
  await ready;
  const kit: SagaKit = sagaKit({ cardTerminal: pos });
  cleanups.push(() => kit.close());
  kit.centre.acceptsAll({ total: 5337, fund: 3000, acct: 1300, cash: 1037 });
  const hisPayments: HisPaymentLine[][] = [];
  const confirm = kit.his.confirmSettlement.bind(kit.his);
  kit.his.confirmSettlement = (c) => {
    hisPayments.push(c.payments);
    return confirm(c);
  };
  const completion = new Completion(kit.ctx);
  const undo = new Undo(kit.ctx);
  const cash = new CashShare(kit.ctx, {
    book: (id) => completion.book(id),
    undo: (id) => undo.afterPaymentFailed(id),
    recover: async () => undefined,
  });
  const id = await kit.awaitingPayment(5337);
  return { kit, emulator, cash, id, hisPayments };
}

const suite = isSocatAvailable() ? 'bank card at the window' : `bank card at the window — skipped: ${SOCAT_MISSING_REASON}`;

describe.skipIf(missing('socat'))(suite, () => {
  it('approved: the card pays the share, HIS books one card line with the reference number, the terminal charged it once', async () => {
    const r = await rig();
    const view = await r.cash.payByCard(CASHIER, r.id);
    expect(view.state).toBe('completed');
    expect(view.payments).toEqual([expect.objectContaining({ mode: 'card', wallet: 'card', state: 'paid', amountFen: 1037 })]);
    const [sale] = [...r.emulator.ledger.values()];
    expect(r.hisPayments).toEqual([[expect.objectContaining({ channel: 'card', amountFen: 1037, transactionId: sale!.rrn })]]);
    expect(r.emulator.chargedFen()).toBe(1037);
  });

  it('declined: nothing charged, the insurance part is undone and the order is open again', async () => {
    const r = await rig();
    r.emulator.injectFault({ kind: 'declined', code: '51', message: '余额不足' });
    const view = await r.cash.payByCard(CASHIER, r.id);
    expect(view).toMatchObject({ state: 'open', reason: 'payment-refused' });
    expect(view.detail).toContain('51 余额不足');
    expect(r.kit.centre.moves().slice(-3)).toEqual(['2208', '2205', '2202']);
    expect(r.emulator.chargedFen()).toBe(0);
    expect(r.hisPayments).toEqual([]);
  });

  it('the answer lost after the charge: in doubt, then 查询 finds it paid — one sale in the ledger, never a second', async () => {
    const r = await rig();
    r.emulator.injectFault({ kind: 'answer-lost' });
    const view = await r.cash.payByCard(CASHIER, r.id);
    expect(view).toMatchObject({ state: 'in-doubt', reason: 'payment-unknown' });
    r.kit.clock.now = new Date(r.kit.clock.now.getTime() + CARD_QUERY_TIMING.firstAfterMs);
    await r.kit.outbox.resolveNow();
    expect(r.kit.orders.payments.forOrder(r.id)[0]).toMatchObject({ state: 'paid', wallet: 'card' });
    expect(r.kit.orders.get(r.id)!.state).toBe('awaiting-payment'); // HIS's booking is the saga's next step
    expect(r.kit.events).toEqual([expect.objectContaining({ kind: 'pos.sale', final: 'succeeded' })]);
    expect(r.emulator.requests.filter((q) => q.kind === 'sale')).toHaveLength(1);
    expect(r.emulator.chargedFen()).toBe(1037);
  });

  it('an outcome still unknown past the window is voided (撤销) under its own REF: the card gets its money back', async () => {
    const r = await rig();
    r.emulator.injectFault({ kind: 'answer-lost' });
    await r.cash.payByCard(CASHIER, r.id);
    expect(r.emulator.chargedFen()).toBe(1037);
    r.emulator.injectFault({ kind: 'silent' }); // the last 查询 gets no answer either
    r.kit.clock.now = new Date(r.kit.clock.now.getTime() + CARD_QUERY_TIMING.windowMs + 1_000);
    await r.kit.outbox.resolveNow();
    expect(r.emulator.requests.map((q) => q.kind)).toEqual(['status', 'sale', 'query', 'void']);
    const voids = r.emulator.requests.filter((q) => q.kind === 'void');
    expect(voids).toHaveLength(1);
    expect(voids[0]!.origRef).toBe(r.kit.orders.payments.forOrder(r.id)[0]!.outTradeNo);
    expect(r.emulator.chargedFen()).toBe(0);
    expect(r.kit.orders.payments.forOrder(r.id)[0]!.state).toBe('reversed');
    expect(r.kit.events).toEqual([expect.objectContaining({ kind: 'pos.sale', final: 'compensated' })]);
  });
});
