/**
 * A refund by line (部分退费) of a bill paid by bank card: the self-pay difference goes back to the card by the
 * terminal's 退货 under a REF the terminal takes — the real POS driver on a real pty with the terminal emulator and
 * its ledger on the far end, the real outbox, movements and SQLite file; the centre and HIS scripted. Chaos found
 * the difference sent under the platform's 30-character out_refund_no, which the terminal's protocol (REF of 1–20)
 * never carried: the refund stayed in doubt, asked after for a day.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { HisSettlement } from '../../../insurance/his';
import { POS_TERMINAL_MODELS } from '../../../devices/models';
import type { DeviceStatusView } from '../../../shared/domain';
import { POS_TERMINAL_TEXT, SerialPosTerminal } from '../../../devices/drivers/pos-terminal';
import { EventLog } from '../../../devices/testing/event-log';
import { createSerialPortTransport } from '../../../devices/transports/serial-transport';
import { PosTerminalEmulator } from '../../../simulators/devices/pos-terminal-emulator';
import { createPtyPair } from '../../../simulators/devices/pty-pair';
import { stationIds } from '../../ids';
import { CashShare } from '../cash-share';
import { Completion } from '../completion';
import { InsuredSettlement } from '../insured-settlement';
import { CASHIER, ok, sagaKit, settlementAnswer } from '../testing/saga-kit';
import { Undo } from '../undo';
import { partialRefundMovements } from './partial-movements';
import { Refunds } from './refund';
import { RefundLinesRepo } from './refund-lines';
import { refundMovements } from './refund-movements';
import { RefundsRepo } from './refunds-repo';
import { missing } from '../../../../test/harness/prerequisites';

const MODEL = { ...POS_TERMINAL_MODELS['pos-unionpay-9600'], saleTimeoutMs: 400, commandTimeoutMs: 400 };
const WHOLE = { total: 5300, fund: 3000, acct: 1300, cash: 1000 };
const REST = { total: 3000, fund: 2000, acct: 600, cash: 400 };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function rig() {
  const cable = await createPtyPair();
  cleanups.push(() => cable.close());
  const terminal = new PosTerminalEmulator(cable.devicePath);
  cleanups.push(() => terminal.close());
  const pos = new SerialPosTerminal({ id: 'pos1', model: MODEL, path: cable.stationPath, transport: createSerialPortTransport() });
  cleanups.push(() => pos.dispose());
  const statuses = new EventLog<DeviceStatusView>(pos.onStatus);
  cleanups.push(() => statuses.dispose());
  const ready = statuses.waitFor((s) => s.detail === POS_TERMINAL_TEXT.ready('SIM-POS100 v1.0'), { what: 'status answer' });
  pos.start();
  await ready;

  const kit = sagaKit({ cardTerminal: pos });
  cleanups.push(() => kit.close());
  const repo = new RefundsRepo(kit.db);
  const lines = new RefundLinesRepo(kit.db);
  const now = () => kit.clock.now;
  let msgid = 0;
  const deps = {
    orders: kit.orders,
    now,
    payWindowMs: 30 * 60_000,
    sendsMessages: false,
    gateway: kit.centre,
    his: kit.his,
    pay: kit.pay,
    cardTerminal: pos,
    messageClient: null,
    newMsgid: () => `H35020000001202612049${String(++msgid).padStart(9, '0')}`,
    ids: stationIds(now),
    qrPollEveryMs: 2_000,
    refunds: repo,
    refundLines: lines,
  };
  for (const m of [...refundMovements(deps), ...partialRefundMovements(deps)]) kit.outbox.register(m);
  kit.centre.acceptsAll(WHOLE);
  kit.his.applyRefund = async (r) => ({
    kind: 'ok',
    value: { refundId: r.refundId, settleId: r.settleId, state: 'approved', appliedAt: '', lines: r.lines ?? [] },
  });
  kit.his.confirmPartialRefund = async (c) => ({ kind: 'ok', value: { settleId: c.settleId, state: 'settled' } as HisSettlement });

  const completion = new Completion(kit.ctx);
  const undo = new Undo(kit.ctx);
  const cash = new CashShare(kit.ctx, {
    book: (id) => completion.book(id),
    undo: (id) => undo.afterPaymentFailed(id),
    recover: async () => {},
  });
  // A bill of two lines (30.00 + 23.00), settled and its 10.00 share paid by card: completed.
  const id = kit.addOrder(5300, { lines: [3000, 2300] });
  const insured = new InsuredSettlement(kit.ctx, async () => {});
  await insured.preSettle(CASHIER, id);
  await insured.settle(CASHIER, id);
  expect((await cash.payByCard(CASHIER, id)).state).toBe('completed');
  kit.centre.reanswer('2207', ok(settlementAnswer(REST, 'SETL2')));
  return { kit, terminal, repo, refunds: new Refunds(kit.ctx, repo, lines), id };
}

describe.skipIf(missing('socat'))('a refund by line of a bill paid by bank card', () => {
  it('gives the difference back by 退货 under a REF of its own, once: the sale keeps the rest of the share', async () => {
    const r = await rig();
    const [sale] = [...r.terminal.ledger.values()];

    const view = await r.refunds.refundOrder(CASHIER, r.id, '患者要求退部分药品', [2]);

    expect(view).toMatchObject({ state: 'completed', totalFen: 3000, split: { cashFen: 400 } });
    expect(r.repo.latest(r.id)).toMatchObject({ state: 'refunded', partial: true, cashFen: 600 });
    const refunds = r.terminal.requests.filter((q) => q.kind === 'refund');
    expect(refunds).toEqual([expect.objectContaining({ amountFen: 600, origRef: sale!.ref })]);
    expect(refunds[0]!.ref).toMatch(/^R[0-9A-Za-z]{1,19}$/);
    expect(r.terminal.chargedFen()).toBe(400);
  });
});
