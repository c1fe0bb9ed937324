/**
 * Payment notifications: a signed POST to the order's notify_url (or the merchant's registered one) when an
 * order becomes SUCCESS, retried on the vendor's back-off until the station acknowledges with HTTP 200 and
 * {"return_code":"SUCCESS"}. Rows live in the ledger, so a file-backed platform resumes its deliveries after
 * a restart. Retries run on real timers: the schedule is short in tests.
 */
import { beijing } from '../nhsa/clock';
import type { FaultBook } from './faults';
import type { PayLedger, TradeRow } from './ledger';
import { platformSign, type Flat } from './sign';

/** WeChat Pay v2: 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h after the first attempt. */
export const VENDOR_NOTIFY_SCHEDULE_MS = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10_800, 10_800, 10_800, 21_600, 21_600].map(
  (s) => s * 1000,
);

export interface NotifierOptions {
  ledger: PayLedger;
  faults: FaultBook;
  keyOf: (mchId: string) => string | undefined;
  now: () => Date;
  /** Pauses between attempts; its length is the number of retries after the first attempt. */
  scheduleMs: readonly number[];
  timeoutMs?: number;
}

export class Notifier {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly opts: NotifierOptions) {}

  /** Inside the paying transaction: the row is durable with the payment; the first attempt follows at once. */
  enqueue(trade: TradeRow, url: string): void {
    const notifyId = `N${trade.out_trade_no}`;
    if (this.opts.ledger.notification(notifyId)) return;
    this.opts.ledger.insertNotification({
      notify_id: notifyId,
      out_trade_no: trade.out_trade_no,
      url,
      state: 'pending',
      created_at: this.opts.now().getTime(),
    });
    this.later(notifyId, 0);
  }

  /** After a restart: every pending notification is tried again now. */
  resumePending(): void {
    for (const n of this.opts.ledger.notifications()) if (n.state === 'pending') this.later(n.notify_id, 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  /** The signed body of a notification, as the station will receive it. */
  body(notifyId: string, breakSignature = false): string | undefined {
    const n = this.opts.ledger.notification(notifyId);
    const trade = n && this.opts.ledger.trade(n.out_trade_no);
    const key = trade && this.opts.keyOf(trade.mch_id);
    if (!trade || key === undefined || trade.paid_at === null) return undefined;
    const fields: Flat = {
      mch_id: trade.mch_id,
      nonce_str: notifyId.slice(-32).padStart(32, '0'),
      notify_id: notifyId,
      notify_type: 'TRADE_SUCCESS',
      out_trade_no: trade.out_trade_no,
      transaction_id: trade.transaction_id ?? '',
      trade_type: trade.trade_type,
      trade_state: 'SUCCESS',
      channel: trade.channel ?? '',
      payer_id: trade.payer_id ?? '',
      total_fee: trade.total_fee,
      time_end: beijing(new Date(trade.paid_at)).second,
      sign_type: 'HMAC-SHA256',
    };
    fields.sign = platformSign(fields, breakSignature ? `${key}x` : key);
    return JSON.stringify(fields);
  }

  private later(notifyId: string, ms: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const attempt = this.attempt(notifyId).finally(() => this.inFlight.delete(attempt));
      this.inFlight.add(attempt);
    }, ms);
    this.timers.add(timer);
  }

  private async attempt(notifyId: string): Promise<void> {
    const n = this.opts.ledger.notification(notifyId);
    if (!n || n.state !== 'pending' || this.closed) return;
    const fault = this.opts.faults.take('notify');
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    const body = this.body(notifyId, fault?.kind === 'bad-signature');
    let outcome: string;
    if (body === undefined) outcome = 'no-body';
    else if (fault?.kind === 'notify-lost' || fault?.kind === 'drop-request') outcome = 'lost';
    else {
      outcome = await this.post(n.url, body);
      const copies = fault?.kind === 'duplicate-notify' ? (fault.copies ?? 2) : 1;
      for (let i = 1; i < copies; i++) {
        const again = await this.post(n.url, body);
        if (outcome !== 'acked') outcome = again;
      }
    }
    if (this.closed) return;
    const failedBefore = this.opts.ledger.attempts(notifyId).length;
    const retriesLeft = failedBefore < this.opts.scheduleMs.length;
    const final = outcome === 'acked' ? 'acked' : retriesLeft ? 'pending' : 'gave-up';
    this.opts.ledger.recordAttempt(notifyId, this.opts.now().getTime(), outcome, final);
    if (final === 'pending') this.later(notifyId, this.opts.scheduleMs[failedBefore]!);
  }

  private async post(url: string, body: string): Promise<string> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=utf-8' },
        body,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000),
      });
      const text = await response.text();
      let ack: unknown;
      try {
        ack = JSON.parse(text);
      } catch {
        ack = undefined;
      }
      const acknowledged = response.status === 200 && (ack as { return_code?: unknown } | undefined)?.return_code === 'SUCCESS';
      return acknowledged ? 'acked' : `refused:${response.status}`;
    } catch (error) {
      return `failed:${error instanceof Error ? error.message : String(error)}`;
    }
  }
}
