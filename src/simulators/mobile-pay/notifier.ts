/**
 * The settlement callback (结算结果回调): a plain JSON POST to the hospital's URL once an order is settled,
 * repeated on a schedule until the hospital answers HTTP 200 with {"code":0}. The row lives in the ledger, so a
 * restarted file-backed centre resumes its deliveries. Faults on op 'notify': notify-lost (the attempt never
 * arrives), duplicate-notify (delivered twice, or `copies` times), delay (a late one).
 */
import type { FaultBook } from '../pay-channel/faults';
import type { MobilePayLedger, OrderRow } from './ledger';

export interface CallbackBody {
  ordStas: string;
  callType: 'SETL';
  payOrdId: string;
  medOrgOrd: string;
  traceTime: string;
  feeSumamt: string;
  ownpayAmt: string;
  psnAcctPay: string;
  fundPay: string;
  hiDocSn: string;
  orgCode: string;
  setlType: 'ALL';
}

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

export function callbackBody(order: OrderRow, orgCode: string): CallbackBody {
  return {
    ordStas: order.ord_stas,
    callType: 'SETL',
    payOrdId: order.pay_ord_id,
    medOrgOrd: order.med_org_ord,
    traceTime: String(order.paid_at ?? order.created_at),
    feeSumamt: yuan(order.fee_sumamt),
    ownpayAmt: yuan(order.own_pay_amt),
    psnAcctPay: yuan(order.psn_acct_pay),
    fundPay: yuan(order.fund_pay),
    hiDocSn: order.hi_doc_sn ?? '',
    orgCode,
    setlType: 'ALL',
  };
}

export class CallbackNotifier {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly opts: { ledger: MobilePayLedger; faults: FaultBook; orgCode: string; scheduleMs: readonly number[] }) {}

  /** Inside the paying transaction; the first attempt follows at once. */
  enqueue(payOrdId: string, url: string): void {
    this.opts.ledger.insertCallback(payOrdId, url);
    this.later(payOrdId, 0);
  }

  resumePending(): void {
    for (const c of this.opts.ledger.callbacks()) if (c.state === 'pending') this.later(c.pay_ord_id, 0);
  }

  /** Delivers the callback again now, whatever its state: a late duplicate from the centre. */
  replay(payOrdId: string): Promise<boolean> {
    const c = this.opts.ledger.callback(payOrdId);
    const order = this.opts.ledger.order(payOrdId);
    if (!c || !order) return Promise.resolve(false);
    return this.post(c.url, JSON.stringify(callbackBody(order, this.opts.orgCode)));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private later(payOrdId: string, ms: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const attempt = this.attempt(payOrdId).finally(() => this.inFlight.delete(attempt));
      this.inFlight.add(attempt);
    }, ms);
    this.timers.add(timer);
  }

  private async attempt(payOrdId: string): Promise<void> {
    const c = this.opts.ledger.callback(payOrdId);
    const order = this.opts.ledger.order(payOrdId);
    if (!c || !order || c.state !== 'pending' || this.closed) return;
    const fault = this.opts.faults.take('notify');
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    const body = JSON.stringify(callbackBody(order, this.opts.orgCode));
    let acked = false;
    let delivered = 0;
    if (fault?.kind !== 'notify-lost' && fault?.kind !== 'drop-request') {
      const copies = fault?.kind === 'duplicate-notify' ? (fault.copies ?? 2) : 1;
      for (let i = 0; i < copies; i++) {
        acked = (await this.post(c.url, body)) || acked;
        delivered += 1;
      }
    }
    if (this.closed) return;
    const retriesLeft = c.attempts < this.opts.scheduleMs.length;
    this.opts.ledger.recordCallback(payOrdId, acked ? 'acked' : retriesLeft ? 'pending' : 'gave-up', delivered);
    if (!acked && retriesLeft) this.later(payOrdId, this.opts.scheduleMs[c.attempts]!);
  }

  private async post(url: string, body: string): Promise<boolean> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=utf-8' },
        body,
        signal: AbortSignal.timeout(5000),
      });
      const text = await response.text();
      const ack = JSON.parse(text) as { code?: unknown };
      return response.status === 200 && (ack.code === 0 || ack.code === '0');
    } catch {
      return false;
    }
  }
}
