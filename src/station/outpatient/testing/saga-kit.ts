/**
 * Test support for the outpatient saga's modules one at a time: a real SQLite file with the station's schema, the
 * real repos, outbox and movements — and the remotes (centre, HIS, payment platform, messages) as scripted fakes,
 * so a test says what each remote answers and sees exactly what was asked of it. The whole-station integration
 * tests (src/host) run the same saga against the simulators.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OperatorView } from '../../../shared/domain';
import { fen, fenToYuan, type Fen } from '../../../shared/money';
import type { HisOrder, HisSettlement } from '../../../insurance/his';
import { SettlementOutput, type Settlement } from '../../../insurance/nhsa';
import { FakeCentre as BaseCentre, ok } from './fake-centre';
import type { Payment } from '../../../insurance/pay-channel';
import { EventBus } from '../../events';
import { stationIds } from '../../ids';
import { IntentsRepo, Outbox } from '../../outbox';
import type { CardTerminalPort, HisPort, PaymentPort } from '../../ports';
import { ScanRegistry } from '../../scans';
import { FieldCipher, loadOrCreateDataKeys } from '../../security';
import { openDatabase, type Db, PersonsRepo } from '../../store';
import { Completion } from '../completion';
import { OutpatientContext, type OutpatientDeps } from '../context';
import { InsuredSettlement } from '../insured-settlement';
import { outpatientMovements } from '../movements';
import type { LostRegistration } from '../movements/deps';
import { OrdersRepo } from '../orders-repo';

export { did, didNot, lost, ok, refused } from './fake-centre';

export const CASHIER: OperatorView = { id: 'sf001', name: '张敏', role: 'cashier' };
const PSN = 'P350200000001';

/** The fake centre with the answers of one that accepts everything. */
export class FakeCentre extends BaseCentre {
  /** Every outpatient transaction answered as a centre that accepts everything would, for this split; its queries answer from its books. */
  acceptsAll(split: { total: number; fund: number; acct: number; cash: number }): this {
    const settlement = settlementAnswer(split);
    return this.answer(
      '2001',
      ok({
        trtinfo: [
          { psn_no: PSN, trt_chk_type: '1', fund_pay_type: '310100', trt_enjymnt_flag: '1', begndate: '', enddate: '', trt_chk_rslt: '' },
        ],
      }),
    )
      .answer('2201', ok({ mdtrt_id: 'MDTRT1', psn_no: PSN, ipt_otp_no: 'MZ1' }))
      .answer('2204', () => ok({ result: this.lastFeeLines.map((sn) => ({ feedetl_sn: sn, chrgitm_lv: '01' })) }))
      .answer('2206', ok(settlement))
      .answer('2207', ok(settlement))
      .answer('2208', ok(settlement))
      .answer('2205', ok(undefined))
      .answer('2202', ok(undefined))
      .answer('2601', ok(undefined));
  }

  /** What the fee batch held (the feedetl_sn a 2204 answer classifies). */
  lastFeeLines: string[] = ['MZ0001-1'];
}

/** A 2207 answer as the client returns it (parsed by the real output schema): the split in fen. */
export function settlementAnswer(split: { total: number; fund: number; acct: number; cash: number }, setlId = 'SETL1'): Settlement {
  const y = (n: number) => fenToYuan(fen(n));
  return SettlementOutput.parse({
    setlinfo: {
      setl_id: setlId,
      mdtrt_id: 'MDTRT1',
      psn_no: PSN,
      insutype: '310',
      medfee_sumamt: y(split.total),
      fund_pay_sumamt: y(split.fund),
      hifp_pay: y(split.fund),
      psn_part_amt: y(split.acct + split.cash),
      acct_pay: y(split.acct),
      psn_cash_pay: y(split.cash),
      balc: '100.00',
    },
    setldetail: [],
  });
}

/** HIS: bookings and details scripted; the orders a patient has. */
export function fakeHis(): HisPort & { booked: string[]; bookingAnswers: ('ok' | 'refused' | 'lost')[] } {
  const booked: string[] = [];
  const bookingAnswers: ('ok' | 'refused' | 'lost')[] = [];
  const settlement = (settleId: string, type: 'insured' | 'selfpay'): HisSettlement =>
    ({ settleId, hisSettleNo: `H${settleId}`, orderNo: 'MZ1', type, state: 'settled', settledAt: '2026-12-04T02:00:00Z' }) as HisSettlement;
  const book = async (p: { settleId: string }, type: 'insured' | 'selfpay') => {
    const a = bookingAnswers.shift() ?? 'ok';
    if (a === 'refused') return { kind: 'rejected' as const, code: 'REFUSED', message: 'HIS 拒绝' };
    if (a === 'lost') return { kind: 'unknown' as const, reason: 'timeout' as const, detail: 'no answer' };
    booked.push(p.settleId);
    return { kind: 'ok' as const, value: settlement(p.settleId, type) };
  };
  return {
    booked,
    bookingAnswers,
    patient: async () => ({ kind: 'rejected', code: 'NONE', message: 'not scripted' }),
    unsettledOrders: async () => ({ kind: 'ok', value: [] }),
    orderChanges: async () => ({ kind: 'ok', value: { orders: [], until: new Date().toISOString() } }),
    confirmSettlement: (c) => book(c, 'insured'),
    selfPaySettlement: (s) => book(s, 'selfpay'),
    settlement: async (by) =>
      'settleId' in by && booked.includes(by.settleId)
        ? { kind: 'ok', value: { settlement: settlement(by.settleId, 'insured'), order: {} as HisOrder } }
        : { kind: 'rejected', code: 'NOT_FOUND', message: '无此结算' },
    cancelSettlement: async () => ({ kind: 'rejected', code: 'NONE', message: 'not scripted' }),
    applyRefund: async () => ({ kind: 'rejected', code: 'NONE', message: 'not scripted' }),
    confirmPartialRefund: async () => ({ kind: 'rejected', code: 'NONE', message: 'not scripted' }),
    withdrawRefund: async () => ({ kind: 'rejected', code: 'NONE', message: 'not scripted' }),
  } as HisPort & { booked: string[]; bookingAnswers: ('ok' | 'refused' | 'lost')[] };
}

/** The payment platform: micropay answers scripted; every call recorded. */
/** A refund's scripted answer: done, still processing, bounced, lost, or (to a refundquery) never seen by the platform. */
export type RefundAnswer = 'succeeded' | 'processing' | 'failed' | 'lost' | 'not-found';
type Scripts = { micropayAnswers: ('paid' | 'refused' | 'lost')[]; refundAnswers: RefundAnswer[]; refundQueryAnswers: RefundAnswer[] };
type FakePay = PaymentPort & Scripts & { calls: string[]; paid: Set<string> };

export function fakePay(): FakePay {
  const calls: string[] = [];
  const micropayAnswers: ('paid' | 'refused' | 'lost')[] = [];
  const paid = new Set<string>();
  const refundAnswers: RefundAnswer[] = [];
  const refundQueryAnswers: RefundAnswer[] = [];
  const refundStatus = async (
    a: RefundAnswer,
    r: { outTradeNo: string; outRefundNo: string; refundFee: Fen },
  ): Promise<Awaited<ReturnType<PaymentPort['refund']>>> => {
    if (a === 'lost') return { kind: 'unknown', reason: 'timeout', detail: 'no answer' };
    if (a === 'not-found') return { kind: 'rejected', code: 'REFUNDNOTEXIST', message: '退款单不存在' };
    return { kind: 'ok', value: { ...r, refundId: `RID${r.outRefundNo}`, state: a } };
  };
  const payment = (outTradeNo: string, totalFee: Fen): Payment => ({
    outTradeNo,
    transactionId: `T${outTradeNo}`,
    wallet: 'wechat',
    payerId: 'openid-1',
    totalFee,
    paidAt: '2026-12-04T02:00:00Z',
  });
  return {
    calls,
    micropayAnswers,
    paid,
    refundAnswers,
    refundQueryAnswers,
    async refund(r) {
      calls.push(`refund ${r.outTradeNo} ${r.outRefundNo} ${r.refundFee}`);
      return refundStatus(refundAnswers.shift() ?? 'succeeded', r);
    },
    async refundQuery(outRefundNo) {
      calls.push(`refundquery ${outRefundNo}`);
      return refundStatus(refundQueryAnswers.shift() ?? 'succeeded', { outTradeNo: '', outRefundNo, refundFee: fen(0) });
    },
    async micropay(r) {
      calls.push(`micropay ${r.outTradeNo} ${r.totalFee}`);
      const a = micropayAnswers.shift() ?? 'paid';
      if (a === 'refused') return { kind: 'rejected', code: 'NOTENOUGH', message: '余额不足' };
      if (a === 'lost') return { kind: 'unknown', reason: 'timeout', detail: 'no answer' };
      paid.add(r.outTradeNo);
      return { kind: 'ok', value: { status: 'paid', payment: payment(r.outTradeNo, r.totalFee) } };
    },
    async precreate(r) {
      calls.push(`precreate ${r.outTradeNo}`);
      return {
        kind: 'ok',
        value: {
          outTradeNo: r.outTradeNo,
          codeUrl: `weixin://wxpay/${r.outTradeNo}`,
          totalFee: r.totalFee,
          expiresAt: r.expiresAt.toISOString(),
        },
      };
    },
    async query(outTradeNo) {
      calls.push(`query ${outTradeNo}`);
      return paid.has(outTradeNo)
        ? {
            kind: 'ok',
            value: {
              outTradeNo,
              tradeType: 'code',
              state: 'paid',
              totalFee: fen(0),
              refundedFee: fen(0),
              payment: payment(outTradeNo, fen(0)),
            },
          }
        : { kind: 'ok', value: { outTradeNo, tradeType: 'code', state: 'not-paid', totalFee: fen(0), refundedFee: fen(0) } };
    },
    async reverse(outTradeNo) {
      calls.push(`reverse ${outTradeNo}`);
      const action = paid.delete(outTradeNo) ? 'refunded' : 'closed';
      return { kind: 'ok', value: { outTradeNo, action } };
    },
    async close(outTradeNo) {
      calls.push(`close ${outTradeNo}`);
      return { kind: 'ok', value: { outTradeNo } };
    },
  } as FakePay;
}

export interface SagaKit {
  dir: string;
  db: Db;
  clock: { now: Date };
  centre: FakeCentre;
  his: ReturnType<typeof fakeHis>;
  pay: ReturnType<typeof fakePay>;
  scans: ScanRegistry;
  orders: OrdersRepo;
  intents: IntentsRepo;
  outbox: Outbox;
  ctx: OutpatientContext;
  events: { kind: string; orderId: string; final: string }[];
  /** Stores a HIS order of `totalFen` for the cashier's identified patient; returns its id. */
  addOrder(totalFen: number, patch?: { insutype?: string; lines?: number[]; identificationId?: string }): string;
  /** An order pre-settled and settled (2201 … 2207) by the real steps: it waits for its cash share. */
  awaitingPayment(totalFen?: number): Promise<string>;
  close(): Promise<void>;
}

/** The kit; `finished` is what the saga does when the resolver finishes a movement (the service's continueAfter). */
export function sagaKit(
  opts: {
    finished?: (e: { kind: string; orderId: string; final: 'succeeded' | 'failed' | 'compensated' }) => void;
    /** nhsa.lostRegistration: how a lost 2201 is undone (default 5201 + 2202). */
    lostRegistration?: LostRegistration;
    cardTerminal?: CardTerminalPort; // the window's POS terminal (a real driver on a pty in the card tests)
  } = {},
): SagaKit {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saga-'));
  const db = openDatabase(path.join(dir, 'station.db'));
  const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
  const clock = { now: new Date('2026-12-04T02:00:00Z') };
  const now = () => clock.now;
  const orders = new OrdersRepo(db, cipher);
  const persons = new PersonsRepo(db, cipher);
  const intents = new IntentsRepo(db, cipher);
  const events: SagaKit['events'] = [];
  const outbox = new Outbox(db, intents, [], {
    now,
    policy: { backoffBaseMs: 0, backoffMaxMs: 0, settleTimeMs: 0, queryWindowMs: 0 },
    events: {
      finished: (e) => {
        events.push(e);
        opts.finished?.(e);
      },
    },
  });
  const centre = new FakeCentre();
  const his = fakeHis();
  const pay = fakePay();
  const scans = new ScanRegistry(120_000, () => clock.now.getTime());
  let msgid = 0;
  const deps: OutpatientDeps = {
    db,
    orders,
    persons,
    outbox,
    gateway: centre,
    his,
    pay,
    scans,
    bus: new EventBus(),
    newMsgid: () => `H3502000000120261204${String(++msgid).padStart(10, '0')}`,
    ids: stationIds(now),
    now,
    timeZone: 'Asia/Shanghai',
    payWindowMs: 30 * 60_000,
    qr: { ttlMs: 5 * 60_000, pollEveryMs: 2_000 },
    messages: null,
    hospitalName: '测试医院',
    succeededSince: (orderId, anchor) => intents.succeededSince(orderId, anchor),
    lastFinished: (orderId) => intents.lastFinished(orderId, ['msg.push']),
    log: () => {},
    ...(opts.lostRegistration ? { lostRegistration: opts.lostRegistration } : {}),
    cardTerminal: opts.cardTerminal ?? null,
  };
  for (const m of outpatientMovements({ ...deps, messageClient: null, sendsMessages: false, qrPollEveryMs: deps.qr.pollEveryMs }))
    outbox.register(m);
  db.prepare(`INSERT INTO operators (id, name, role, password_hash, created_at) VALUES (?, ?, 'cashier', 'x', ?)`).run(
    CASHIER.id,
    CASHIER.name,
    clock.now.toISOString(),
  );
  persons.upsert(
    {
      psnNo: PSN,
      name: '陈建国',
      certType: '01',
      certNo: '350203198503120011',
      gender: '1',
      nation: '01',
      birthDate: '1985-03-12',
      age: 41,
      insurances: [
        {
          insutype: '310',
          psnType: '11',
          balanceFen: fen(100_00),
          insuredRegion: '350200',
          employer: '',
          status: '1',
          civilServant: false,
        },
      ],
      identities: [],
    },
    clock.now,
  );
  persons.recordIdentification(
    {
      id: 'ident-1',
      operatorId: CASHIER.id,
      method: 'idcard',
      certType: '02',
      psnNo: PSN,
      insuredRegion: '350200',
      msgid: 'M0',
      certNo: '350203198503120011',
    },
    clock.now,
  );
  const ctx = new OutpatientContext(deps);
  let n = 0;
  return {
    dir,
    db,
    clock,
    centre,
    his,
    pay,
    scans,
    orders,
    intents,
    outbox,
    ctx,
    events,
    async awaitingPayment(totalFen = 5300) {
      const id = this.addOrder(totalFen);
      const insured = new InsuredSettlement(ctx, (orderId) => new Completion(ctx).book(orderId));
      await insured.preSettle(CASHIER, id);
      await insured.settle(CASHIER, id);
      return id;
    },
    addOrder(totalFen, patch = {}) {
      n += 1;
      const his: HisOrder = {
        orderNo: `MZ${String(n).padStart(4, '0')}`,
        visitNo: 'V1',
        patientId: 'PAT1',
        patientName: '陈建国',
        cardNo: '',
        dept: { code: '03', name: '内科' },
        doctor: { code: 'D1', name: '林医生' },
        state: 'unpaid',
        totalFen: fen(totalFen),
        createdAt: clock.now.toISOString(),
        expiresAt: clock.now.toISOString(),
        changedAt: clock.now.toISOString(),
        prescriptions: [
          {
            rxNo: 'RX1',
            rxType: '1',
            lines: (patch.lines ?? [totalFen]).map((amount, i) => ({
              lineNo: i + 1,
              kind: 'drug' as const,
              hospCode: `H${i + 1}`,
              nationalCode: `X0${i + 1}`,
              name: i === 0 ? '阿莫西林胶囊' : `项目${i + 1}`,
              spec: '0.25g',
              unit: '盒',
              quantity: '1',
              unitPriceFen: fen(amount),
              amountFen: fen(amount),
            })),
          },
        ],
      };
      const who = {
        identificationId: patch.identificationId ?? 'ident-1',
        psnNo: PSN,
        insutype: patch.insutype ?? '310',
        insuredRegion: '350200',
        cert: { type: '02' as const, no: '350203198503120011' },
        operatorId: CASHIER.id,
      };
      return orders.upsertFromHis(his, who, `order-${n}`, clock.now);
    },
    async close() {
      await outbox.stop();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
