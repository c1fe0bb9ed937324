/** Cash at the window (现金): the change, refusing too little, HIS booked once with a cash line. Real SQLite and outbox. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fen } from '../../shared/money';
import type { HisPaymentLine } from '../../insurance/his';
import { CashShare } from './cash-share';
import { Completion } from './completion';
import { CASHIER, sagaKit, type SagaKit } from './testing/saga-kit';
import { Undo } from './undo';

let kit: SagaKit;
let cash: CashShare;
let hisPayments: HisPaymentLine[][];

beforeEach(() => {
  kit = sagaKit();
  const completion = new Completion(kit.ctx);
  const undo = new Undo(kit.ctx);
  hisPayments = [];
  const confirm = kit.his.confirmSettlement.bind(kit.his);
  kit.his.confirmSettlement = (c) => {
    hisPayments.push(c.payments);
    return confirm(c);
  };
  cash = new CashShare(kit.ctx, {
    book: (id) => completion.book(id),
    undo: (id) => undo.afterPaymentFailed(id),
    recover: async () => undefined,
  });
  kit.centre.acceptsAll({ total: 5337, fund: 3000, acct: 1300, cash: 1037 });
});
afterEach(() => kit.close());

describe('cash at the window', () => {
  it('takes the share due, keeps the tendered notes and the change, and HIS books one cash line', async () => {
    const id = await kit.awaitingPayment(5337);
    const view = await cash.payByCash(CASHIER, id, fen(5000));
    expect(view.state).toBe('completed');
    expect(view.payments).toEqual([
      expect.objectContaining({
        mode: 'cash',
        wallet: 'cash',
        state: 'paid',
        amountFen: 1037,
        cash: { tenderedFen: 5000, changeFen: 3963 },
      }),
    ]);
    expect(hisPayments).toEqual([[expect.objectContaining({ channel: 'cash', amountFen: 1037 })]]);
    expect(kit.his.booked).toHaveLength(1);
    expect(kit.pay.calls).toEqual([]); // nothing went to the payment platform
    const intents = kit.db.prepare(`SELECT kind, state FROM intents WHERE kind = 'cash.take'`).all();
    expect(intents).toEqual([{ kind: 'cash.take', state: 'succeeded' }]);
  });

  it('refuses less than the share due and writes nothing', async () => {
    const id = await kit.awaitingPayment(5337);
    await expect(cash.payByCash(CASHIER, id, fen(1036))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: '收款金额少于应收金额 10.37 元',
    });
    expect(kit.orders.payments.forOrder(id)).toEqual([]);
    expect(kit.db.prepare(`SELECT COUNT(*) AS n FROM intents WHERE kind = 'cash.take'`).get()).toEqual({ n: 0 });
    expect(kit.orders.get(id)!.state).toBe('awaiting-payment');
  });

  it('exact notes give no change; a second cash payment of a paid order is refused, HIS booked once', async () => {
    const id = await kit.awaitingPayment(5337);
    kit.his.bookingAnswers.push('lost'); // paid; HIS's answer lost: the booking is in doubt
    await cash.payByCash(CASHIER, id, fen(1037));
    expect(kit.orders.payments.forOrder(id)[0]!.cash).toEqual({ tenderedFen: 1037, changeFen: 0 });
    kit.db.prepare(`UPDATE outpatient_orders SET state = 'awaiting-payment' WHERE id = ?`).run(id);
    await expect(cash.payByCash(CASHIER, id, fen(2000))).rejects.toMatchObject({ code: 'ORDER_BUSY' });
    expect(kit.orders.payments.forOrder(id)).toHaveLength(1);
    expect(hisPayments).toHaveLength(1);
  });

  it('a stop between the intent and its end is resolved as taken (the notes were in hand), never undone', async () => {
    const id = await kit.awaitingPayment(5337);
    // What a kill leaves: the payment row and its intent written, nothing after.
    const outTradeNo = 'MZ1C000000000001';
    kit.db.transaction(() => {
      kit.orders.payments.insertCash({ id: 'p-1', orderId: id, outTradeNo, amountFen: fen(1037), tenderedFen: fen(2000) }, kit.clock.now);
      kit.intents.insert(
        { id: 'i-1', orderId: id, kind: 'cash.take', externalId: outTradeNo, payload: { outTradeNo, totalFee: 1037, tenderedFee: 2000 } },
        kit.clock.now,
      );
    })();
    kit.outbox.start();
    await kit.outbox.resolveNow();
    expect(kit.orders.payments.forOrder(id)[0]).toMatchObject({ state: 'paid', wallet: 'cash', cash: { changeFen: 963 } });
    expect(kit.events).toEqual([expect.objectContaining({ kind: 'cash.take', final: 'succeeded' })]);
  });
});
