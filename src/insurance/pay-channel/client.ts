/**
 * PayChannelClient: one method per platform operation, each answering a PayOutcome (see platform-call.ts for
 * how answers are classified).
 *
 * Ids (out_trade_no, out_refund_no) are the caller's, fixed before the first attempt and stored with the
 * business row; the nonce is derived from the request, so calling a method again with the same arguments
 * sends byte-identical bytes — a retry is the same request, and the platform answers it from the order's
 * state instead of acting twice.
 */
import { compactBeijingTime } from '../nhsa/beijing-time';
import { PayChannelConfigSchema, type PayChannelConfig, type PayChannelConfigInput } from './config';
import type { PayOutcome } from './outcome';
import type { PaymentWallet } from './payment-code';
import { callPlatform, requestBody, type Expectation } from './platform-call';
import type { WireFields } from './sign';
import { parseStatement } from './statement';
import type {
  MicropayRequest,
  MicropayResult,
  OrderStatus,
  PrecreateRequest,
  QrOrder,
  RefundRequest,
  RefundStatus,
  ReverseResult,
  Statement,
} from './types';
import { BillAnswer, CloseAnswer, OrderAnswer, PaidAnswer, QrOrderAnswer, RefundAnswer, ReverseAnswer } from './wire';

export type PayOperation = 'precreate' | 'micropay' | 'orderquery' | 'reverse' | 'closeorder' | 'refund' | 'refundquery' | 'downloadbill';

export interface PayChannelClientDeps {
  fetch?: typeof fetch;
}

const WALLET_WIRE = { wechat: 'WECHAT', alipay: 'ALIPAY' } as const;

export class PayChannelClient {
  private readonly config: PayChannelConfig;
  private readonly fetch: typeof fetch;

  constructor(config: PayChannelConfigInput, deps: PayChannelClientDeps = {}) {
    this.config = PayChannelConfigSchema.parse(config);
    this.fetch = deps.fetch ?? fetch;
  }

  /** Merchant-presented QR (主扫). */
  precreate(r: PrecreateRequest): Promise<PayOutcome<QrOrder>> {
    const fields: WireFields = {
      out_trade_no: r.outTradeNo,
      total_fee: r.totalFee,
      body: r.subject,
      time_expire: compactBeijingTime(r.expiresAt),
    };
    if (r.wallet) fields.channel = WALLET_WIRE[r.wallet];
    if (r.notifyUrl) fields.notify_url = r.notifyUrl;
    return this.call('precreate', fields, { echo: { out_trade_no: r.outTradeNo }, read: QrOrderAnswer });
  }

  /** Customer-presented code (被扫). USERPAYING is ok/'user-paying': query, then reverse if it never ends. */
  micropay(r: MicropayRequest): Promise<PayOutcome<MicropayResult>> {
    const fields: WireFields = { out_trade_no: r.outTradeNo, total_fee: r.totalFee, body: r.subject, auth_code: r.authCode };
    if (r.notifyUrl) fields.notify_url = r.notifyUrl;
    return this.call('micropay', fields, {
      echo: { out_trade_no: r.outTradeNo },
      read: PaidAnswer.transform((payment): MicropayResult => ({ status: 'paid', payment })),
      onFail: (code) => (code === 'USERPAYING' ? { kind: 'ok', value: { status: 'user-paying' } } : undefined),
    });
  }

  query(outTradeNo: string): Promise<PayOutcome<OrderStatus>> {
    return this.call('orderquery', { out_trade_no: outTradeNo }, { echo: { out_trade_no: outTradeNo }, read: OrderAnswer });
  }

  /** Undo whatever happened (WeChat reverse / Alipay cancel): closes an unpaid order, refunds a paid one. */
  reverse(outTradeNo: string): Promise<PayOutcome<ReverseResult>> {
    return this.call('reverse', { out_trade_no: outTradeNo }, { echo: { out_trade_no: outTradeNo }, read: ReverseAnswer });
  }

  /** Stops an unpaid QR order from being paid; ORDERPAID if the patient was quicker. */
  close(outTradeNo: string): Promise<PayOutcome<{ outTradeNo: string }>> {
    return this.call('closeorder', { out_trade_no: outTradeNo }, { echo: { out_trade_no: outTradeNo }, read: CloseAnswer });
  }

  /** To the original wallet; partial refunds up to what is left of the payment. */
  refund(r: RefundRequest): Promise<PayOutcome<RefundStatus>> {
    const fields: WireFields = { out_trade_no: r.outTradeNo, out_refund_no: r.outRefundNo, total_fee: r.totalFee, refund_fee: r.refundFee };
    if (r.reason) fields.refund_desc = r.reason;
    return this.call('refund', fields, { echo: { out_trade_no: r.outTradeNo, out_refund_no: r.outRefundNo }, read: RefundAnswer });
  }

  refundQuery(outRefundNo: string): Promise<PayOutcome<RefundStatus>> {
    return this.call('refundquery', { out_refund_no: outRefundNo }, { echo: { out_refund_no: outRefundNo }, read: RefundAnswer });
  }

  /** The platform's statement of a Beijing day (yyyyMMdd), all wallets or one. */
  async statement(day: string, wallet: PaymentWallet | 'all' = 'all'): Promise<PayOutcome<Statement>> {
    const channel = wallet === 'all' ? 'ALL' : WALLET_WIRE[wallet];
    const outcome = await this.call('downloadbill', { bill_date: day, channel }, { echo: { bill_date: day }, read: BillAnswer });
    if (outcome.kind !== 'ok') return outcome;
    const parsed = parseStatement(day, outcome.value.bill);
    return parsed.ok ? { kind: 'ok', value: parsed.statement } : { kind: 'unknown', reason: 'schema', detail: parsed.detail };
  }

  /** The exact body sent for these fields: what a journal stores, what a retry repeats. */
  requestBody(fields: WireFields): string {
    return requestBody(this.config, fields);
  }

  private call<T>(op: PayOperation, fields: WireFields, expect: Expectation<T>): Promise<PayOutcome<T>> {
    return callPlatform({ ...this.config, fetch: this.fetch }, op, fields, expect);
  }
}
