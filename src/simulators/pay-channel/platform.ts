/**
 * The unified payment platform's business rules, apart from HTTP: orders by out_trade_no, refunds by
 * out_refund_no, simulated wallets behind payment codes, lazy expiry by the simulator's clock. Every method
 * runs inside one ledger transaction (the server wraps it), so a request's effects land whole or not at all.
 *
 * Idempotency: the same request (same business fields) gets the answer of the order's *current* state, never a
 * second effect; the same id with other fields is refused (OUT_TRADE_NO_USED / OUT_REFUND_NO_USED).
 * A reverse or close of an id the platform has never seen leaves a tombstone, so a request that was still in
 * flight cannot create the order afterwards.
 */
import { z } from 'zod';
import { beijing } from '../nhsa/clock';
import { randomToken, type Random } from '../nhsa/random';
import type { Flat } from './sign';
import type { Channel, PayLedger, ReverseAction, TradeRow, WalletRow } from './ledger';

export interface PlatformRules {
  /** A reverse sooner than this after the order was created is refused (WeChat asks for ≥ 15 s). */
  minReverseAgeMs: number;
  /** Reverse is allowed this long after creation (WeChat: 7 days); refunds after that. */
  reverseWindowMs: number;
  /** A close sooner than this after creation is refused (WeChat: 5 minutes). */
  minCloseAgeMs: number;
  /** A micropay left in USERPAYING this long is revoked by the platform (WeChat: 45 s); null: never. */
  userPayingTimeoutMs: number | null;
  /** 'manual': refunds stay PROCESSING until control.completeRefund. */
  refunds: 'immediate' | 'manual';
}

export type Business = { ok: true; fields: Flat } | { ok: false; code: string; des: string; fields?: Flat };

export interface PlatformContext {
  ledger: PayLedger;
  rules: PlatformRules;
  random: Random;
  now: () => Date;
  /** Called inside the transaction when an order becomes SUCCESS; the notifier records and schedules. */
  paid: (trade: TradeRow) => void;
}

const id = z.string().regex(/^[A-Za-z0-9_\-|*]{1,32}$/);
const fee = z.number().int().min(1).max(10_000_000_000);
const compactTime = z.string().regex(/^\d{14}$/);

export const RequestSchemas = {
  precreate: z.object({
    out_trade_no: id,
    total_fee: fee,
    body: z.string().min(1).max(128),
    time_expire: compactTime,
    notify_url: z.url().optional(),
    channel: z.enum(['WECHAT', 'ALIPAY']).optional(),
    attach: z.string().max(127).optional(),
  }),
  micropay: z.object({
    out_trade_no: id,
    total_fee: fee,
    body: z.string().min(1).max(128),
    auth_code: z.string().regex(/^\d{16,24}$/),
    notify_url: z.url().optional(),
    attach: z.string().max(127).optional(),
  }),
  orderquery: z.object({ out_trade_no: id }),
  reverse: z.object({ out_trade_no: id }),
  closeorder: z.object({ out_trade_no: id }),
  refund: z.object({
    out_trade_no: id,
    out_refund_no: id,
    total_fee: fee,
    refund_fee: fee,
    refund_desc: z.string().max(80).optional(),
  }),
  refundquery: z.object({ out_refund_no: id }),
  downloadbill: z.object({
    bill_date: z.string().regex(/^\d{8}$/),
    channel: z.enum(['ALL', 'WECHAT', 'ALIPAY']).optional(),
  }),
} as const;
export type Operation = keyof typeof RequestSchemas;
export const OPERATIONS = Object.keys(RequestSchemas) as Operation[];

const fail = (code: string, des: string, fields?: Flat): Business => ({ ok: false, code, des, ...(fields ? { fields } : {}) });
const ok = (fields: Flat): Business => ({ ok: true, fields });

/** The channel a payment code belongs to, by the vendors' published prefixes. */
export function channelOfAuthCode(code: string): Channel | undefined {
  if (/^1[0-5]\d{16}$/.test(code)) return 'WECHAT';
  if (/^(2[5-9]|30)\d{14,22}$/.test(code)) return 'ALIPAY';
  return undefined;
}

/** The business fields of a request, canonically ordered: two requests are "the same" when these match. */
export function fingerprint(request: Flat): string {
  const skip = new Set(['mch_id', 'nonce_str', 'sign', 'sign_type']);
  return JSON.stringify(
    Object.keys(request)
      .filter((k) => !skip.has(k))
      .sort()
      .map((k) => [k, request[k]]),
  );
}

/** yyyyMMddHHmmss (Beijing) -> epoch ms. */
export function parseCompactBeijing(text: string): number {
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((at, i) => Number(text.slice(at, at + (i === 0 ? 4 : 2))));
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - 8 * 3_600_000;
}

export class Platform {
  constructor(private readonly ctx: PlatformContext) {}

  private get ledger(): PayLedger {
    return this.ctx.ledger;
  }

  private nowMs(): number {
    return this.ctx.now().getTime();
  }

  /** The order as of now: an unpaid QR past its expiry is closed, a long USERPAYING is revoked. */
  current(outTradeNo: string): TradeRow | undefined {
    const trade = this.ledger.trade(outTradeNo);
    if (!trade) return undefined;
    const now = this.nowMs();
    if (trade.state === 'NOTPAY' && trade.expire_at !== null && now >= trade.expire_at) {
      this.ledger.updateTrade(outTradeNo, { state: 'CLOSED', ended_at: trade.expire_at });
      return this.ledger.trade(outTradeNo);
    }
    const timeout = this.ctx.rules.userPayingTimeoutMs;
    if (trade.state === 'USERPAYING' && timeout !== null && now - trade.created_at >= timeout) {
      this.ledger.updateTrade(outTradeNo, { state: 'REVOKED', reverse_action: 'CLOSE', ended_at: trade.created_at + timeout });
      return this.ledger.trade(outTradeNo);
    }
    return trade;
  }

  precreate(mchId: string, request: Flat, r: z.infer<typeof RequestSchemas.precreate>): Business {
    const print = fingerprint(request);
    const existing = this.current(r.out_trade_no);
    if (existing) {
      if (existing.fingerprint !== print) return this.idConflict(existing);
      if (existing.state === 'SUCCESS') return fail('ORDERPAID', '订单已支付');
      if (existing.state !== 'NOTPAY') return fail('ORDERCLOSED', '订单已关闭');
      return ok(this.precreateFields(existing));
    }
    const expireAt = parseCompactBeijing(r.time_expire);
    if (!(expireAt > this.nowMs())) return fail('PARAM_ERROR', 'time_expire 已过');
    const trade: TradeRow = {
      ...this.blankTrade(mchId, r.out_trade_no, print),
      trade_type: 'NATIVE',
      channel: r.channel ?? null,
      total_fee: r.total_fee,
      body: r.body,
      notify_url: r.notify_url ?? null,
      expire_at: expireAt,
      state: 'NOTPAY',
      code_url: `https://unipay.sim/q/${this.ledger.nextSerial('qr')}${randomToken(this.ctx.random, 16)}`,
    };
    this.ledger.insertTrade(trade);
    return ok(this.precreateFields(trade));
  }

  micropay(mchId: string, request: Flat, r: z.infer<typeof RequestSchemas.micropay>): Business {
    const print = fingerprint(request);
    const existing = this.current(r.out_trade_no);
    if (existing) {
      if (existing.fingerprint !== print) return this.idConflict(existing);
      return this.micropayAnswer(existing);
    }
    const base: TradeRow = {
      ...this.blankTrade(mchId, r.out_trade_no, print),
      trade_type: 'MICROPAY',
      channel: channelOfAuthCode(r.auth_code) ?? null,
      total_fee: r.total_fee,
      body: r.body,
      auth_code: r.auth_code,
      notify_url: r.notify_url ?? null,
    };
    const wallet = this.ledger.wallet(r.auth_code);
    const refused = (code: string) => {
      this.ledger.insertTrade({ ...base, state: 'PAYERROR', fail_code: code, ended_at: base.created_at });
      return this.micropayAnswer(this.ledger.trade(r.out_trade_no)!);
    };
    if (!wallet || base.channel === null) return refused('AUTH_CODE_INVALID');
    if (wallet.used_by !== null) return refused('AUTHCODEEXPIRE');
    this.ledger.useWallet(wallet.auth_code, r.out_trade_no);
    if (wallet.password) {
      this.ledger.insertTrade({ ...base, state: 'USERPAYING', payer_id: wallet.payer_id });
      return this.micropayAnswer(this.ledger.trade(r.out_trade_no)!);
    }
    if (wallet.balance < r.total_fee) return refused('NOTENOUGH');
    this.ledger.insertTrade({ ...base, state: 'USERPAYING', payer_id: wallet.payer_id });
    this.collect(r.out_trade_no, wallet);
    return this.micropayAnswer(this.ledger.trade(r.out_trade_no)!);
  }

  query(r: z.infer<typeof RequestSchemas.orderquery>): Business {
    const trade = this.current(r.out_trade_no);
    if (!trade) return fail('ORDERNOTEXIST', '此交易订单号不存在');
    return ok(this.tradeFields(trade));
  }

  reverse(r: z.infer<typeof RequestSchemas.reverse>, mchId: string): Business {
    const trade = this.current(r.out_trade_no);
    const now = this.nowMs();
    if (!trade) {
      this.ledger.insertTrade({ ...this.blankTrade(mchId, r.out_trade_no, ''), state: 'REVOKED', reverse_action: 'NONE', ended_at: now });
      return ok({ out_trade_no: r.out_trade_no, reverse_action: 'NONE' });
    }
    if (trade.state === 'REVOKED') return ok({ out_trade_no: trade.out_trade_no, reverse_action: trade.reverse_action ?? 'CLOSE' });
    if (trade.state === 'CLOSED') return ok({ out_trade_no: trade.out_trade_no, reverse_action: 'CLOSE' });
    const age = now - trade.created_at;
    if (age < this.ctx.rules.minReverseAgeMs)
      return fail('REVERSE_TOO_EARLY', `下单 ${Math.ceil(this.ctx.rules.minReverseAgeMs / 1000)} 秒后才可撤销`);
    if (age > this.ctx.rules.reverseWindowMs) return fail('REVERSE_EXPIRED', '订单已超过可撤销期限，请使用退款');
    if (trade.refunded_fee > 0) return fail('TRADE_STATE_ERROR', '订单已发生退款，不能撤销');
    let action: ReverseAction = 'CLOSE';
    if (trade.state === 'SUCCESS') {
      action = 'REFUND';
      if (trade.auth_code) this.ledger.moveBalance(trade.auth_code, trade.total_fee);
      else if (trade.payer_id) this.refundToPayer(trade.payer_id, trade.total_fee);
    }
    this.ledger.updateTrade(trade.out_trade_no, { state: 'REVOKED', reverse_action: action, ended_at: now });
    return ok({ out_trade_no: trade.out_trade_no, reverse_action: action });
  }

  close(r: z.infer<typeof RequestSchemas.closeorder>, mchId: string): Business {
    const trade = this.current(r.out_trade_no);
    const now = this.nowMs();
    if (!trade) {
      this.ledger.insertTrade({ ...this.blankTrade(mchId, r.out_trade_no, ''), state: 'CLOSED', ended_at: now });
      return ok({ out_trade_no: r.out_trade_no });
    }
    if (trade.state === 'SUCCESS') return fail('ORDERPAID', '订单已支付，不能关闭');
    if (trade.state === 'USERPAYING') return fail('TRADE_STATE_ERROR', '用户支付中，请撤销订单');
    if (trade.state !== 'NOTPAY') return ok({ out_trade_no: trade.out_trade_no });
    if (now - trade.created_at < this.ctx.rules.minCloseAgeMs) return fail('CLOSE_TOO_EARLY', '订单生成后不能马上关闭');
    this.ledger.updateTrade(trade.out_trade_no, { state: 'CLOSED', ended_at: now });
    return ok({ out_trade_no: trade.out_trade_no });
  }

  refund(request: Flat, r: z.infer<typeof RequestSchemas.refund>): Business {
    const print = fingerprint(request);
    const existing = this.ledger.refund(r.out_refund_no);
    if (existing) {
      if (existing.fingerprint !== print) return fail('OUT_REFUND_NO_USED', '退款单号已用于另一笔退款');
      return ok(this.refundFields(r.out_refund_no));
    }
    const trade = this.current(r.out_trade_no);
    if (!trade || trade.fingerprint === '') return fail('ORDERNOTEXIST', '此交易订单号不存在');
    if (trade.state !== 'SUCCESS') return fail('TRADE_STATE_ERROR', '订单未支付成功，不能退款');
    if (r.total_fee !== trade.total_fee) return fail('PARAM_ERROR', '订单金额与原订单不一致');
    const refundable = trade.total_fee - trade.refunded_fee;
    if (r.refund_fee > refundable) return fail('REFUND_FEE_INVALID', `退款金额超过可退金额（可退 ${refundable} 分）`);
    const now = this.nowMs();
    const immediate = this.ctx.rules.refunds === 'immediate';
    this.ledger.insertRefund({
      out_refund_no: r.out_refund_no,
      out_trade_no: r.out_trade_no,
      refund_id: `50300${beijing(this.ctx.now()).day}${String(this.ledger.nextSerial('refund')).padStart(12, '0')}`,
      refund_fee: r.refund_fee,
      fingerprint: print,
      state: immediate ? 'SUCCESS' : 'PROCESSING',
      created_at: now,
      succeeded_at: immediate ? now : null,
    });
    this.ledger.updateTrade(trade.out_trade_no, { refunded_fee: trade.refunded_fee + r.refund_fee });
    if (immediate) this.creditRefund(trade, r.refund_fee);
    return ok(this.refundFields(r.out_refund_no));
  }

  refundQuery(r: z.infer<typeof RequestSchemas.refundquery>): Business {
    if (!this.ledger.refund(r.out_refund_no)) return fail('REFUNDNOTEXIST', '退款单不存在');
    return ok(this.refundFields(r.out_refund_no));
  }

  /** Back office: a manual-mode refund reaches the patient ('SUCCESS') or bounces ('CHANGE'). */
  completeRefund(outRefundNo: string, result: 'SUCCESS' | 'CHANGE'): void {
    const refund = this.ledger.refund(outRefundNo);
    if (!refund) throw new Error(`no refund ${outRefundNo}`);
    if (refund.state !== 'PROCESSING') throw new Error(`refund ${outRefundNo} is already ${refund.state}`);
    const trade = this.ledger.trade(refund.out_trade_no)!;
    if (result === 'SUCCESS') this.creditRefund(trade, refund.refund_fee);
    // A bounced refund gives its amount back to what may still be refunded.
    else this.ledger.updateTrade(trade.out_trade_no, { refunded_fee: trade.refunded_fee - refund.refund_fee });
    this.ledger.updateRefund(outRefundNo, result, result === 'SUCCESS' ? this.nowMs() : null);
  }

  // --- the patient's side -------------------------------------------------------------------------------

  addWallet(w: { channel: Channel; balanceFen: number; password?: boolean; authCode?: string }): WalletRow {
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(this.ctx.random() * 10)).join('');
    const authCode =
      w.authCode ??
      (w.channel === 'WECHAT'
        ? `1${Math.floor(this.ctx.random() * 6)}${digits(16)}`
        : `2${5 + Math.floor(this.ctx.random() * 5)}${digits(16)}`);
    if (channelOfAuthCode(authCode) !== w.channel) throw new Error(`${authCode} is not a ${w.channel} payment code`);
    const payerId = w.channel === 'WECHAT' ? `oSIM${randomToken(this.ctx.random, 24)}` : `2088${digits(12)}`;
    const row: WalletRow = {
      auth_code: authCode,
      channel: w.channel,
      payer_id: payerId,
      balance: w.balanceFen,
      password: w.password ? 1 : 0,
      used_by: null,
    };
    this.ledger.insertWallet(row);
    return row;
  }

  /** The patient confirms a USERPAYING micropay on the phone. Returns the order's state afterwards. */
  enterPassword(outTradeNo: string): TradeRow['state'] {
    const trade = this.current(outTradeNo);
    if (!trade || trade.state !== 'USERPAYING' || !trade.auth_code) return trade?.state ?? 'CLOSED';
    const wallet = this.ledger.wallet(trade.auth_code)!;
    if (wallet.balance < trade.total_fee) {
      this.ledger.updateTrade(outTradeNo, { state: 'PAYERROR', fail_code: 'NOTENOUGH', ended_at: this.nowMs() });
    } else {
      this.collect(outTradeNo, wallet);
    }
    return this.ledger.trade(outTradeNo)!.state;
  }

  /** The patient cancels the password prompt. */
  cancelPayment(outTradeNo: string): TradeRow['state'] {
    const trade = this.current(outTradeNo);
    if (trade?.state === 'USERPAYING')
      this.ledger.updateTrade(outTradeNo, { state: 'PAYERROR', fail_code: 'USERCANCEL', ended_at: this.nowMs() });
    return this.ledger.trade(outTradeNo)?.state ?? 'CLOSED';
  }

  /** The patient scans a merchant-presented QR with the wallet behind `authCode` and pays. */
  payQr(codeUrl: string, authCode: string): { paid: true; outTradeNo: string } | { paid: false; reason: string } {
    const found = this.ledger.tradeByCodeUrl(codeUrl);
    if (!found) return { paid: false, reason: 'QR_UNKNOWN' };
    const trade = this.current(found.out_trade_no)!;
    if (trade.state === 'SUCCESS') return { paid: false, reason: 'ORDERPAID' };
    if (trade.state !== 'NOTPAY') return { paid: false, reason: 'ORDERCLOSED' };
    const wallet = this.ledger.wallet(authCode);
    if (!wallet) return { paid: false, reason: 'WALLET_UNKNOWN' };
    if (trade.channel !== null && trade.channel !== wallet.channel) return { paid: false, reason: 'WRONG_CHANNEL' };
    if (wallet.balance < trade.total_fee) return { paid: false, reason: 'NOTENOUGH' };
    this.ledger.updateTrade(trade.out_trade_no, { channel: wallet.channel, payer_id: wallet.payer_id });
    this.collect(trade.out_trade_no, wallet);
    return { paid: true, outTradeNo: trade.out_trade_no };
  }

  // --- internals ------------------------------------------------------------------------------------------

  private collect(outTradeNo: string, wallet: WalletRow): void {
    const trade = this.ledger.trade(outTradeNo)!;
    this.ledger.moveBalance(wallet.auth_code, -trade.total_fee);
    const day = beijing(this.ctx.now()).day;
    const serial = String(this.ledger.nextSerial('transaction')).padStart(15, '0');
    this.ledger.updateTrade(outTradeNo, {
      state: 'SUCCESS',
      channel: wallet.channel,
      payer_id: wallet.payer_id,
      paid_at: this.nowMs(),
      transaction_id: wallet.channel === 'WECHAT' ? `42000${day}${serial}` : `${day}22001${serial}`,
    });
    this.ctx.paid(this.ledger.trade(outTradeNo)!);
  }

  private creditRefund(trade: TradeRow, amount: number): void {
    if (trade.auth_code) this.ledger.moveBalance(trade.auth_code, amount);
    else if (trade.payer_id) this.refundToPayer(trade.payer_id, amount);
  }

  private refundToPayer(payerId: string, amount: number): void {
    const wallet = this.ledger.walletOfPayer(payerId);
    if (wallet) this.ledger.moveBalance(wallet.auth_code, amount);
  }

  private idConflict(existing: TradeRow): Business {
    if (existing.fingerprint === '') {
      return existing.state === 'REVOKED' ? fail('ORDERREVERSED', '订单已撤销') : fail('ORDERCLOSED', '订单已关闭');
    }
    return fail('OUT_TRADE_NO_USED', '商户订单号重复，且请求内容与原订单不同');
  }

  private blankTrade(mchId: string, outTradeNo: string, print: string): TradeRow {
    return {
      out_trade_no: outTradeNo,
      mch_id: mchId,
      trade_type: 'MICROPAY',
      channel: null,
      total_fee: 0,
      body: '',
      auth_code: null,
      notify_url: null,
      expire_at: null,
      fingerprint: print,
      state: 'NOTPAY',
      fail_code: null,
      code_url: null,
      transaction_id: null,
      payer_id: null,
      created_at: this.nowMs(),
      paid_at: null,
      ended_at: null,
      reverse_action: null,
      refunded_fee: 0,
    };
  }

  private micropayAnswer(trade: TradeRow): Business {
    switch (trade.state) {
      case 'SUCCESS':
        return ok(this.tradeFields(trade));
      case 'USERPAYING':
        return fail('USERPAYING', '需要用户输入支付密码', { out_trade_no: trade.out_trade_no });
      case 'PAYERROR':
        return fail(trade.fail_code ?? 'PAYERROR', PAY_ERROR_TEXT[trade.fail_code ?? ''] ?? '支付失败');
      case 'REVOKED':
        return fail('ORDERREVERSED', '订单已撤销');
      default:
        return fail('ORDERCLOSED', '订单已关闭');
    }
  }

  private precreateFields(t: TradeRow): Flat {
    return {
      out_trade_no: t.out_trade_no,
      trade_type: 'NATIVE',
      total_fee: t.total_fee,
      code_url: t.code_url ?? '',
      expire_time: t.expire_at === null ? '' : beijing(new Date(t.expire_at)).second,
    };
  }

  private tradeFields(t: TradeRow): Flat {
    return {
      out_trade_no: t.out_trade_no,
      trade_type: t.trade_type,
      trade_state: t.state,
      total_fee: t.total_fee,
      refunded_fee: t.refunded_fee,
      channel: t.channel ?? undefined,
      transaction_id: t.transaction_id ?? undefined,
      payer_id: t.state === 'SUCCESS' ? (t.payer_id ?? undefined) : undefined,
      time_end: t.paid_at === null ? undefined : beijing(new Date(t.paid_at)).second,
      err_detail: t.state === 'PAYERROR' ? (t.fail_code ?? undefined) : undefined,
    };
  }

  private refundFields(outRefundNo: string): Flat {
    const r = this.ledger.refund(outRefundNo)!;
    return {
      out_trade_no: r.out_trade_no,
      out_refund_no: r.out_refund_no,
      refund_id: r.refund_id,
      refund_fee: r.refund_fee,
      refund_status: r.state,
      refund_success_time: r.succeeded_at === null ? undefined : beijing(new Date(r.succeeded_at)).second,
    };
  }
}

const PAY_ERROR_TEXT: Record<string, string> = {
  AUTH_CODE_INVALID: '付款码无效，请用户刷新后重试',
  AUTHCODEEXPIRE: '付款码已使用或已过期，请用户刷新后重试',
  NOTENOUGH: '用户余额不足',
  USERCANCEL: '用户取消支付',
};
