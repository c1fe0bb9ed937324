/**
 * The simulated unified payment platform (统一支付平台) fronting WeChat Pay and Alipay: JSON over HTTP,
 * WeChat-v2-style signing, its own SQLite ledger, a scriptable patient, notifications with retries and fault
 * injection. It is the *other side*: nothing here is shared with the station's client.
 *
 *   POST {url}/{operation}   precreate | micropay | orderquery | reverse | closeorder | refund | refundquery | downloadbill
 *   POST {url}/__control     { op: 'inject', rule } | { op: 'clear' } | { op: 'requests' } | { op: 'wallet', ... } |
 *                            { op: 'enterPassword' | 'cancelPayment', outTradeNo } | { op: 'payQr', codeUrl, authCode } |
 *                            { op: 'completeRefund', outRefundNo, result } | { op: 'trades' } | { op: 'books' } |
 *                            { op: 'totals', day, channel? }
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import {
  admitRequest,
  FAULT_COMMANDS,
  isFaultCommand,
  runFaultCommand,
  serveControl,
  startSimulator,
  type Route,
  type Simulator,
} from '../common/simulator-server';
import { randomToken, seededRandom } from '../nhsa/random';
import { FaultBook, type Fault, type FaultRule } from './faults';
import { parseObject, type Exchange } from './http-server';
import {
  PayLedger,
  type Channel,
  type NotificationRow,
  type RefundRow,
  type RefundState,
  type ReverseAction,
  type TradeRow,
  type TradeState,
  type TradeType,
} from './ledger';
import { Notifier, VENDOR_NOTIFY_SCHEDULE_MS } from './notifier';
import { OPERATIONS, Platform, RequestSchemas, type Business, type Operation, type PlatformRules } from './platform';
import { asFlat, platformSign, platformVerify, type Flat } from './sign';
import { moneyEvents, statementCsv, totalsOf, type LedgerTotals } from './statement';

export interface Merchant {
  mchId: string;
  key: string;
  /** Where notifications go when an order names no notify_url (the URL the station registered). */
  notifyUrl?: string;
}

export interface PayChannelOptions {
  /** 0 (default) picks a free port on 127.0.0.1. */
  port?: number;
  /** The platform's own ledger; ':memory:' by default. */
  dbPath?: string;
  merchants: Merchant[];
  /** Makes payment codes, payer ids, QR URLs and nonces reproducible. */
  seed?: number;
  /** The platform's clock for expiry and ages (tests move it); notification retries use real timers. */
  now?: () => Date;
  rules?: Partial<PlatformRules>;
  /** Pauses between notification attempts; the vendor's 15 s … 6 h by default. */
  notifyScheduleMs?: readonly number[];
}

/** The vendors' published rules; tests usually lower the ages to 0. */
export const VENDOR_RULES: PlatformRules = {
  minReverseAgeMs: 15_000,
  reverseWindowMs: 7 * 24 * 3_600_000,
  minCloseAgeMs: 5 * 60_000,
  userPayingTimeoutMs: null,
  refunds: 'immediate',
};

export interface PayRequestLogEntry {
  op: string;
  /** The out_trade_no (or out_refund_no) the request names. */
  outTradeNo: string;
  /** The request carried a valid signature of a known merchant. */
  verified: boolean;
  resultCode?: 'SUCCESS' | 'FAIL';
  errCode?: string;
  fault?: Fault['kind'];
}

export interface WalletSpec {
  channel: Channel;
  balanceFen: number;
  /** The patient must confirm on the phone: micropay answers USERPAYING until enterPassword. */
  password?: boolean;
  authCode?: string;
}

export interface PayChannelControl {
  inject(rule: FaultRule): void;
  clear(): void;
  requests(): PayRequestLogEntry[];
  /** A patient's wallet behind a payment code (a fresh code of the channel's format unless given). */
  wallet(spec: WalletSpec): { authCode: string; payerId: string; channel: Channel };
  balance(authCode: string): number;
  /** The patient confirms / cancels a USERPAYING micropay; answers the order's state afterwards. */
  enterPassword(outTradeNo: string): TradeState;
  cancelPayment(outTradeNo: string): TradeState;
  /** The patient scans a QR and pays with the wallet behind `authCode`. */
  payQr(codeUrl: string, authCode: string): { paid: true; outTradeNo: string } | { paid: false; reason: string };
  completeRefund(outRefundNo: string, result: 'SUCCESS' | 'CHANGE'): void;
  setNotifyUrl(mchId: string, url: string): void;
  trades(): TradeRow[];
  trade(outTradeNo: string): TradeRow | undefined;
  refunds(): RefundRow[];
  notifications(): NotificationRow[];
  notifyAttempts(notifyId: string): { at: number; outcome: string }[];
  /** The ledger's money of a Beijing day (yyyyMMdd): what the statement must add up to. */
  totals(day: string, channel?: Channel | 'ALL'): LedgerTotals;
  /** Its books, read-only: every trade as of now and every refund. */
  books(): PayBooks;
}

/** A trade as the platform keeps it: SUCCESS is money taken (less its refunds); REVOKED after a payment is money returned. */
export interface PayBookTrade {
  out_trade_no: string;
  trade_type: TradeType;
  channel: Channel | null;
  total_fee: number;
  state: TradeState;
  /** CLOSE or REFUND for a reversed trade. */
  reverse_action: ReverseAction | null;
}

export interface PayBookRefund {
  out_refund_no: string;
  out_trade_no: string;
  refund_fee: number;
  state: RefundState;
}

export interface PayBooks {
  trades: PayBookTrade[];
  refunds: PayBookRefund[];
}

/** Base URL: POST `${url}/${operation}`. */
export type PayChannelSimulator = Simulator<PayChannelControl>;

const BASE = '/unipay';

const ControlSchema = z.discriminatedUnion('op', [
  ...FAULT_COMMANDS,
  z.object({ op: z.literal('requests') }),
  z.object({
    op: z.literal('wallet'),
    channel: z.enum(['WECHAT', 'ALIPAY']),
    balanceFen: z.number().int().min(0),
    password: z.boolean().optional(),
    authCode: z.string().optional(),
  }),
  z.object({ op: z.enum(['enterPassword', 'cancelPayment']), outTradeNo: z.string() }),
  z.object({ op: z.literal('payQr'), codeUrl: z.string(), authCode: z.string() }),
  z.object({ op: z.literal('completeRefund'), outRefundNo: z.string(), result: z.enum(['SUCCESS', 'CHANGE']) }),
  z.object({ op: z.literal('trades') }),
  z.object({ op: z.literal('books') }),
  z.object({ op: z.literal('totals'), day: z.string().regex(/^\d{8}$/), channel: z.enum(['ALL', 'WECHAT', 'ALIPAY']).optional() }),
]);

export async function startPayChannel(opts: PayChannelOptions): Promise<PayChannelSimulator> {
  if (opts.merchants.length === 0) throw new Error('at least one merchant');
  const merchants = new Map(opts.merchants.map((m) => [m.mchId, { ...m }]));
  const ledger = new PayLedger(opts.dbPath ?? ':memory:');
  const faults = new FaultBook();
  const random = seededRandom(opts.seed ?? randomInt(2 ** 31));
  const now = opts.now ?? (() => new Date());
  const rules: PlatformRules = { ...VENDOR_RULES, ...opts.rules };
  const log: PayRequestLogEntry[] = [];
  const notifier = new Notifier({
    ledger,
    faults,
    now,
    keyOf: (mchId) => merchants.get(mchId)?.key,
    scheduleMs: opts.notifyScheduleMs ?? VENDOR_NOTIFY_SCHEDULE_MS,
  });
  const platform = new Platform({
    ledger,
    rules,
    random,
    now,
    paid: (trade) => {
      const url = trade.notify_url ?? merchants.get(trade.mch_id)?.notifyUrl;
      if (url) notifier.enqueue(trade, url);
    },
  });

  const control: PayChannelControl = {
    inject: (rule) => faults.inject(rule),
    clear: () => faults.clear(),
    requests: () => log.map((entry) => ({ ...entry })),
    wallet: (spec) => {
      const w = ledger.atomically(() => platform.addWallet(spec));
      return { authCode: w.auth_code, payerId: w.payer_id, channel: w.channel };
    },
    balance: (authCode) => {
      const w = ledger.wallet(authCode);
      if (!w) throw new Error(`no wallet behind ${authCode}`);
      return w.balance;
    },
    enterPassword: (outTradeNo) => ledger.atomically(() => platform.enterPassword(outTradeNo)),
    cancelPayment: (outTradeNo) => ledger.atomically(() => platform.cancelPayment(outTradeNo)),
    payQr: (codeUrl, authCode) => ledger.atomically(() => platform.payQr(codeUrl, authCode)),
    completeRefund: (outRefundNo, result) => ledger.atomically(() => platform.completeRefund(outRefundNo, result)),
    setNotifyUrl: (mchId, url) => {
      const m = merchants.get(mchId);
      if (!m) throw new Error(`no merchant ${mchId}`);
      m.notifyUrl = url;
    },
    trades: () => ledger.atomically(() => ledger.trades().map((t) => platform.current(t.out_trade_no)!)),
    trade: (outTradeNo) => ledger.atomically(() => platform.current(outTradeNo)),
    refunds: () => ledger.refunds(),
    notifications: () => ledger.notifications(),
    notifyAttempts: (notifyId) => ledger.attempts(notifyId),
    totals: (day, channel = 'ALL') => totalsOf(moneyEvents(ledger, day, channel)),
    books: () =>
      ledger.atomically(() => ({
        trades: ledger.trades().map((t) => {
          const { out_trade_no, trade_type, channel, total_fee, state, reverse_action } = platform.current(t.out_trade_no)!;
          return { out_trade_no, trade_type, channel, total_fee, state, reverse_action };
        }),
        refunds: ledger
          .refunds()
          .map(({ out_refund_no, out_trade_no, refund_fee, state }) => ({ out_refund_no, out_trade_no, refund_fee, state })),
      })),
  };

  /** Every answer names the merchant and the order or refund it is about, so it cannot pass for another's. */
  function answer(
    request: Flat | undefined,
    key: string | undefined,
    business: Business | undefined,
    returnMsg: string,
    fault?: Fault,
  ): string {
    const fields: Flat = { return_code: business ? 'SUCCESS' : 'FAIL', return_msg: returnMsg, mch_id: request?.mch_id ?? '' };
    for (const echo of ['out_trade_no', 'out_refund_no', 'bill_date']) if (request?.[echo] !== undefined) fields[echo] = request[echo];
    if (business) {
      fields.result_code = business.ok ? 'SUCCESS' : 'FAIL';
      if (!business.ok) {
        fields.err_code = business.code;
        fields.err_code_des = business.des;
      }
      Object.assign(fields, business.fields);
    }
    for (const name of Object.keys(fields)) if (fields[name] === undefined) delete fields[name];
    if (key === undefined) return JSON.stringify(fields); // unknown merchant: nothing to sign with
    fields.nonce_str = randomToken(random, 32);
    fields.sign_type = 'HMAC-SHA256';
    // bad-signature: well-formed hex that does not verify.
    fields.sign = platformSign(fields, fault?.kind === 'bad-signature' ? `${key}#` : key);
    return JSON.stringify(fields);
  }

  function run(op: Operation, mchId: string, request: Flat): Business {
    const parsed = RequestSchemas[op].safeParse(request);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))].join(',');
      return { ok: false, code: 'PARAM_ERROR', des: `参数错误: ${fields}` };
    }
    return ledger.atomically((): Business => {
      switch (op) {
        case 'precreate':
          return platform.precreate(mchId, request, parsed.data as z.infer<typeof RequestSchemas.precreate>);
        case 'micropay':
          return platform.micropay(mchId, request, parsed.data as z.infer<typeof RequestSchemas.micropay>);
        case 'orderquery':
          return platform.query(parsed.data as z.infer<typeof RequestSchemas.orderquery>);
        case 'reverse':
          return platform.reverse(parsed.data as z.infer<typeof RequestSchemas.reverse>, mchId);
        case 'closeorder':
          return platform.close(parsed.data as z.infer<typeof RequestSchemas.closeorder>, mchId);
        case 'refund':
          return platform.refund(request, parsed.data as z.infer<typeof RequestSchemas.refund>);
        case 'refundquery':
          return platform.refundQuery(parsed.data as z.infer<typeof RequestSchemas.refundquery>);
        case 'downloadbill': {
          const r = parsed.data as z.infer<typeof RequestSchemas.downloadbill>;
          const events = moneyEvents(ledger, r.bill_date, r.channel ?? 'ALL').filter((e) => e.mchId === mchId);
          return { ok: true, fields: { bill_date: r.bill_date, bill: statementCsv(events) } };
        }
      }
    });
  }

  async function serveOperation(exchange: Exchange, op: Operation): Promise<void> {
    const fault = faults.take(op);
    const request = asFlat(parseObject(exchange.body));
    const entry: PayRequestLogEntry = { op, outTradeNo: String(request?.out_trade_no ?? request?.out_refund_no ?? ''), verified: false };
    const struck = admitRequest(exchange, fault, entry, log);
    if (struck) return struck;

    const mchId = typeof request?.mch_id === 'string' ? request.mch_id : '';
    const merchant = merchants.get(mchId);
    if (!request) return exchange.answer(200, answer(undefined, undefined, undefined, '请求不是平铺的JSON对象'), fault);
    if (!merchant) return exchange.answer(200, answer(request, undefined, undefined, '商户号不存在'), fault);
    if (request.sign_type !== 'HMAC-SHA256' || !platformVerify(request, merchant.key)) {
      return exchange.answer(200, answer(request, merchant.key, undefined, '签名错误'), fault);
    }
    entry.verified = true;
    const business: Business =
      fault?.kind === 'system-error'
        ? { ok: false, code: 'SYSTEMERROR', des: '系统繁忙，请稍后再试' }
        : fault?.kind === 'refuse'
          ? { ok: false, code: fault.code, des: fault.msg ?? '业务拒绝' }
          : run(op, mchId, request);
    entry.resultCode = business.ok ? 'SUCCESS' : 'FAIL';
    if (!business.ok) entry.errCode = business.code;
    return exchange.answer(200, answer(request, merchant.key, business, 'OK', fault), fault);
  }

  function runControl(c: z.infer<typeof ControlSchema>): unknown {
    if (isFaultCommand(c)) return runFaultCommand(control, c);
    switch (c.op) {
      case 'requests':
        return control.requests();
      case 'wallet': {
        const { op: _op, ...spec } = c;
        return control.wallet(spec);
      }
      case 'enterPassword':
        return { state: control.enterPassword(c.outTradeNo) };
      case 'cancelPayment':
        return { state: control.cancelPayment(c.outTradeNo) };
      case 'payQr':
        return control.payQr(c.codeUrl, c.authCode);
      case 'completeRefund':
        return control.completeRefund(c.outRefundNo, c.result);
      case 'trades':
        return control.trades();
      case 'books':
        return control.books();
      case 'totals':
        return control.totals(c.day, c.channel);
    }
  }

  const routes: Route[] = [
    ['/__control', (exchange) => serveControl(exchange, ControlSchema, runControl)],
    ...OPERATIONS.map((op): Route => [`/${op}`, (exchange) => serveOperation(exchange, op)]),
  ];
  const simulator = await startSimulator({ name: 'pay-channel', port: opts.port, base: BASE, routes, control, closing: [ledger] });
  notifier.resumePending();
  return {
    ...simulator,
    async close() {
      // No notification may start while the server and the ledger close.
      await notifier.close();
      await simulator.close();
    },
  };
}
