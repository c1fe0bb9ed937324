// The invariants over the other sides' books, on hand-made books: each finds what it is about and names the order.
import { describe, expect, it } from 'vitest';
import { checkBooks, type Books, type StationOrder } from './books';

const split = { totalFen: 1000, fundFen: 600, acctFen: 100, cashFen: 300 };

function completed(orderNo: string): StationOrder {
  return {
    orderNo,
    state: 'completed',
    mode: 'insurance',
    split,
    mdtrtId: `M-${orderNo}`,
    setlId: `S-${orderNo}`,
    outTradeNos: [`${orderNo}P1`],
    waitingForPerson: false,
  };
}

/** The books of a completed insured order, as they should be. */
function booksOf(orderNo: string): Books {
  return {
    centre: {
      visits: [
        {
          mdtrt_id: `M-${orderNo}`,
          kind: 'outpatient',
          psn_no: 'PSN',
          insutype: '310',
          insuplc_admdvs: '350200',
          ipt_otp_no: orderNo,
          state: 'open',
        },
      ],
      feeBatches: [{ mdtrt_id: `M-${orderNo}`, chrg_bchno: 'B1', lines: 1, amount_fen: 1000, state: 'live' }],
      settlements: [
        {
          setl_id: `S-${orderNo}`,
          mdtrt_id: `M-${orderNo}`,
          psn_no: 'PSN',
          insutype: '310',
          clr_optins: '350200',
          setl_day: '2026-12-04',
          msgid: 'm1',
          medfee_sumamt: 1000,
          fund_pay_sumamt: 600,
          acct_pay: 100,
          psn_cash_pay: 300,
          state: 'settled',
        },
      ],
      reversals: [],
    },
    his: {
      bookings: [
        {
          settleId: `X-${orderNo}`,
          orderNo,
          kind: 'insured',
          medfeeFen: 1000,
          fundFen: 600,
          acctFen: 100,
          cashFen: 300,
          mdtrtId: `M-${orderNo}`,
          setlId: `S-${orderNo}`,
          payments: [{ channel: 'wechat', outTradeNo: `${orderNo}P1`, amountFen: 300 }],
          state: 'settled',
        },
      ],
      refunds: [],
    },
    pay: {
      trades: [
        { out_trade_no: `${orderNo}P1`, trade_type: 'MICROPAY', channel: 'WECHAT', total_fee: 300, state: 'SUCCESS', reverse_action: null },
      ],
      refunds: [],
    },
  };
}

describe('the books invariants', () => {
  it('find nothing when every book agrees with a completed order', () => {
    expect(checkBooks([completed('MZ1')], booksOf('MZ1'))).toEqual([]);
  });

  it('count money kept from the platform, refunds and trades the station never recorded included', () => {
    const books = booksOf('MZ1');
    books.pay.trades.push({
      out_trade_no: 'MZ1P2',
      trade_type: 'MICROPAY',
      channel: 'ALIPAY',
      total_fee: 301,
      state: 'SUCCESS',
      reverse_action: null,
    });
    books.pay.refunds.push({ out_refund_no: 'R1', out_trade_no: 'MZ1P2', refund_fee: 300, state: 'SUCCESS' });
    expect(checkBooks([completed('MZ1')], books)).toEqual([
      { invariant: 'platform-money', orderNo: 'MZ1', detail: expect.stringContaining('kept 301 fen') },
      { invariant: 'double-charge', orderNo: 'MZ1', detail: expect.stringContaining('MZ1P2 (1 fen)') },
    ]);
  });

  it('want nothing anywhere for an order not completed: money, booking, open visit, live fee batch or settlement', () => {
    const open: StationOrder = { ...completed('MZ1'), state: 'open', split: null, mdtrtId: null, setlId: null };
    const found = checkBooks([open], booksOf('MZ1'));
    expect(found.map((v) => [v.invariant, v.orderNo])).toEqual([
      ['platform-money', 'MZ1'],
      ['his-booking', 'MZ1'],
      ['centre-settlement', 'MZ1'],
      ['centre-settlement', 'MZ1'],
      ['centre-settlement', 'MZ1'],
    ]);
    expect(found.map((v) => v.detail).join('\n')).toMatch(/1 live settlement.*\n.*visit\(s\) M-MZ1 still open.*\n.*B1 still live/);
  });

  it('accept a refused booking waiting for a person when the money and the centre agree, and no HIS booking', () => {
    const books = booksOf('MZ1');
    books.his.bookings = [];
    const waiting: StationOrder = { ...completed('MZ1'), state: 'insurance-settled', waitingForPerson: true };
    expect(checkBooks([waiting], books)).toEqual([]);
  });

  it('compare amounts with the split, and see a second booking as a double charge', () => {
    const books = booksOf('MZ1');
    books.his.bookings.push({ ...books.his.bookings[0]!, settleId: 'X2', cashFen: 301 });
    books.centre.settlements[0]!.psn_cash_pay = 299;
    const found = checkBooks([completed('MZ1')], books);
    expect(found.map((v) => v.invariant)).toEqual(['his-booking', 'centre-settlement', 'double-charge']);
    expect(found[2]!.detail).toBe('HIS booked it again: X2 after X-MZ1');
  });

  it('see a second card sale of one order still charged at the terminal as a double charge', () => {
    const books = booksOf('MZ1');
    books.pay.trades = [];
    books.his.bookings[0]!.payments = [{ channel: 'card', outTradeNo: 'K1', amountFen: 300 }];
    books.terminal = [
      { ref: 'K1', keptFen: 300 },
      { ref: 'K2', keptFen: 300 },
      { ref: 'K3', keptFen: 0 }, // voided (撤销): kept nothing
    ];
    const byCard: StationOrder = { ...completed('MZ1'), outTradeNos: ['K1', 'K2', 'K3'], cardFen: 300 };
    const found = checkBooks([byCard], books);
    expect(found.map((v) => [v.invariant, v.detail])).toEqual([
      ['card-terminal', 'the terminal kept 600 fen, the station recorded 300 by card'],
      ['double-charge', 'a second card sale kept money: K2 after K1'],
    ]);
    books.terminal = books.terminal.filter((t) => t.ref !== 'K2');
    expect(checkBooks([byCard], books)).toEqual([]);
  });

  it('name entries of no station order', () => {
    const found = checkBooks([], booksOf('MZ9'));
    expect(found.map((v) => [v.invariant, v.orderNo])).toEqual([
      ['platform-money', 'MZ9'],
      ['his-booking', 'MZ9'],
      ['centre-settlement', 'MZ9'],
      ['centre-settlement', 'MZ9'],
    ]);
  });

  it('want a refunded order refunded everywhere, its HIS application done; and no application left approved', () => {
    const refunded: StationOrder = { ...completed('MZ1'), state: 'refunded' };
    const books = booksOf('MZ1');
    books.pay.refunds.push({ out_refund_no: 'R1', out_trade_no: 'MZ1P1', refund_fee: 300, state: 'SUCCESS' });
    books.his.bookings[0]!.state = 'cancelled';
    books.centre.settlements[0]!.state = 'cancelled';
    books.centre.visits[0]!.state = 'cancelled';
    books.centre.feeBatches[0]!.state = 'cancelled';
    books.his.refunds.push({ refundId: 'RA1', settleId: 'X-MZ1', state: 'done', lines: 0 });
    expect(checkBooks([refunded], books)).toEqual([]);

    books.his.refunds[0]!.state = 'approved';
    expect(checkBooks([refunded], books).map((v) => v.detail)).toEqual([
      'HIS holds 0 done refund application(s), the refunded order promises 1 (insurance refunded)',
      'HIS holds 1 refund application(s) still approved (insurance refunded)',
    ]);
    // A refund refused after HIS approved it: the application withdrawn, the bill as it was.
    const withdrawn = booksOf('MZ1');
    withdrawn.his.refunds.push({ refundId: 'RA1', settleId: 'X-MZ1', state: 'withdrawn', lines: 0 });
    expect(checkBooks([completed('MZ1')], withdrawn)).toEqual([]);
    withdrawn.his.refunds[0]!.state = 'done';
    expect(checkBooks([completed('MZ1')], withdrawn).map((v) => v.invariant)).toEqual(['his-refund']);
    // 部分退费: an application of some lines done leaves the rest of the bill completed.
    withdrawn.his.refunds[0]!.lines = 1;
    expect(checkBooks([completed('MZ1')], withdrawn)).toEqual([]);
  });
});

describe('the e-bills invariant', () => {
  const withBills = (orderNo: string, ebills: NonNullable<Books['ebills']>): Books => ({ ...booksOf(orderNo), ebills });
  const ebillFindings = (books: Books) => checkBooks([completed('A')], books).filter((v) => v.invariant === 'ebill');

  it('finds nothing for one live bill of the booking, for its amount; nothing at all without a gateway', () => {
    expect(ebillFindings(withBills('A', [{ busNo: 'X-A', totalFen: 1000, isScarlet: false }]))).toEqual([]);
    expect(ebillFindings(booksOf('A'))).toEqual([]);
  });

  it('sees a booking without a bill, a red-flushed or wrong bill of a live booking, and two bills under one busNo', () => {
    expect(ebillFindings(withBills('A', [])).map((v) => v.detail)).toEqual(['X-A: booked at HIS, no e-bill']);
    expect(ebillFindings(withBills('A', [{ busNo: 'X-A', totalFen: 1000, isScarlet: true }])).map((v) => v.detail)).toEqual([
      'X-A: booked at HIS, its e-bill red-flushed',
    ]);
    expect(ebillFindings(withBills('A', [{ busNo: 'X-A', totalFen: 900, isScarlet: false }])).map((v) => v.detail)).toEqual([
      'X-A: e-bill of 900 fen for a booking of 1000',
    ]);
    const twice = { busNo: 'X-A', totalFen: 1000, isScarlet: false };
    expect(ebillFindings(withBills('A', [twice, twice])).map((v) => v.detail)).toEqual(['X-A: 2 bills under one busNo']);
  });

  it('wants the bill of a cancelled booking red-flushed, and no bill of anything HIS never booked', () => {
    const cancelled = withBills('A', [{ busNo: 'X-A', totalFen: 1000, isScarlet: false }]);
    cancelled.his.bookings[0]!.state = 'cancelled';
    expect(ebillFindings(cancelled).map((v) => v.detail)).toEqual(['X-A: HIS cancelled the booking, its e-bill is still live']);
    cancelled.ebills![0]!.isScarlet = true;
    expect(ebillFindings(cancelled)).toEqual([]);
    const stray = withBills('A', [
      { busNo: 'X-A', totalFen: 1000, isScarlet: false },
      { busNo: 'X-Z', totalFen: 500, isScarlet: false },
    ]);
    expect(ebillFindings(stray)).toEqual([{ invariant: 'ebill', orderNo: '?', detail: 'e-bill X-Z (500 fen) of no HIS booking' }]);
  });

  it('holds a stay’s discharge bookings at HIS’s ward to the same: one live bill, red-flushed once cancelled', () => {
    const live = { busNo: 'X-A', totalFen: 1000, isScarlet: false };
    const ward = (state: 'settled' | 'cancelled', bills: NonNullable<Books['ebills']>): Books => ({
      ...withBills('A', [live, ...bills]),
      wardBookings: [{ busNo: 'ZJ1', iptNo: 'ZY1', medfeeFen: 2500, state }],
    });
    expect(ebillFindings(ward('settled', [{ busNo: 'ZJ1', totalFen: 2500, isScarlet: false }]))).toEqual([]);
    expect(ebillFindings(ward('settled', [])).map((v) => [v.orderNo, v.detail])).toEqual([['ZY1', 'ZJ1: booked at HIS, no e-bill']]);
    expect(ebillFindings(ward('cancelled', [{ busNo: 'ZJ1', totalFen: 2500, isScarlet: false }])).map((v) => v.detail)).toEqual([
      'ZJ1: HIS cancelled the booking, its e-bill is still live',
    ]);
    expect(ebillFindings(ward('cancelled', [{ busNo: 'ZJ1', totalFen: 2500, isScarlet: true }]))).toEqual([]);
    // Without the ward's books a stay's bill belongs to nothing the invariant knows.
    const unknown = { ...withBills('A', [live, { busNo: 'ZJ1', totalFen: 2500, isScarlet: false }]) };
    expect(ebillFindings(unknown).map((v) => v.detail)).toEqual(['e-bill ZJ1 (2500 fen) of no HIS booking']);
  });
});
