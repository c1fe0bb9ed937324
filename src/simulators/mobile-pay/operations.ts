/**
 * What the mobile-payment centre does for each transaction, on its ledger inside one transaction: 6201 upload,
 * 6202 pay (insurance and the self-pay part from the patient's wallet in one step, never twice), 6301 query,
 * 6203 refund (whole bill, idempotent by appRefdSn), 6401 upload cancel. Each returns the answer's data, or a
 * refusal with the centre's code and words.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseAmount } from '../nhsa/money';
import { findByIdNo } from '../nhsa/population';
import type { MobilePayLedger, OrderRow } from './ledger';
import type { PlatformBooks } from './nhsa-books';
import { priceUpload } from './pricing';

export type Answer = { data: Record<string, unknown> } | { code: number; message: string };

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
const refuse = (code: number, message: string): Answer => ({ code, message });

const Upload = z.object({
  medOrgOrd: z.string().min(1).max(40),
  payAuthNo: z.string().min(1),
  idNo: z.string().min(1),
  userName: z.string().min(1),
  medType: z.string().min(1),
  medfeeSumamt: z.string(),
  acctUsedFlag: z.enum(['0', '1']).optional(),
  feedetailList: z
    .array(
      z.object({ feedetlSn: z.string().min(1), medListCodg: z.string(), cnt: z.string(), pric: z.string(), detItemFeeSumamt: z.string() }),
    )
    .min(1),
});
const Pay = z.object({
  payAuthNo: z.string(),
  payOrdId: z.string(),
  payToken: z.string(),
  acctUsedFlag: z.enum(['', '0', '1']).optional(),
});
const ByOrder = z.object({ payOrdId: z.string().min(1) });
const Refund = z.object({
  payOrdId: z.string().min(1),
  appRefdSn: z.string().min(1),
  totlRefdAmt: z.string(),
  psnAcctRefdAmt: z.string(),
  fundRefdAmt: z.string(),
  cashRefdAmt: z.string(),
  refdType: z.enum(['ALL', 'CASH', 'HI']),
});

function orderAnswer(o: OrderRow, ledger: MobilePayLedger): Record<string, unknown> {
  const refunds = ledger.refunds().filter((r) => r.pay_ord_id === o.pay_ord_id);
  return {
    payOrdId: o.pay_ord_id,
    medOrgOrd: o.med_org_ord,
    ordStas: o.ord_stas,
    feeSumamt: yuan(o.fee_sumamt),
    ownPayAmt: yuan(o.own_pay_amt),
    psnAcctPay: yuan(o.psn_acct_pay),
    fundPay: yuan(o.fund_pay),
    setlType: 'ALL',
    hiDocSn: o.hi_doc_sn ?? '',
    traceTime: String(o.paid_at ?? o.created_at),
    refunds: refunds.map((r) => ({ appRefdSn: r.app_refd_sn, totlRefdAmt: yuan(r.totl_fen), refStatus: 'SUCC' })),
  };
}

export class CentreOperations {
  constructor(
    private readonly ledger: MobilePayLedger,
    private readonly opts: {
      now: () => number;
      onPaid: (payOrdId: string) => void;
      /** The NHSA centre's books, where a paid order is the platform's settlement and a refund cancels it. */
      books?: PlatformBooks;
    },
  ) {}

  private fail(parsed: z.ZodSafeParseError<unknown>): Answer {
    return refuse(1002, `参数错误: ${parsed.error.issues.map((i) => i.path.join('.')).join(',')}`);
  }

  upload(input: unknown): Answer {
    const p = Upload.safeParse(input);
    if (!p.success) return this.fail(p);
    const d = p.data;
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([d.payAuthNo, d.medfeeSumamt, d.feedetailList]))
      .digest('hex');
    const existing = this.ledger.orderByMedOrgOrd(d.medOrgOrd);
    if (existing) {
      // The same upload again (a lost answer): the same order. Other lines under the same number: refused.
      if (existing.fingerprint !== fingerprint) return refuse(2001, '医疗机构订单号重复且明细不同');
      if (existing.ord_stas === '7') return refuse(2002, '该订单已撤销');
      return { data: this.uploadAnswer(existing) };
    }
    const auth = this.ledger.auth(d.payAuthNo);
    if (!auth || auth.id_no !== d.idNo) return refuse(2003, '支付授权码无效或与患者不符');
    const person = findByIdNo(d.idNo);
    if (!person) return refuse(2004, '未查询到参保人员');
    const declared = parseAmount(d.medfeeSumamt);
    if (declared === undefined) return refuse(1002, '医疗费总额格式错误');
    const split = priceUpload(person, d.feedetailList, {
      medType: d.medType,
      declaredSumFen: declared,
      useAccount: d.acctUsedFlag !== '0',
    });
    if ('refusal' in split) return refuse(2005, split.refusal);
    const serial = this.ledger.nextSerial('order');
    const row: OrderRow = {
      pay_ord_id: `ORD${String(serial).padStart(12, '0')}`,
      med_org_ord: d.medOrgOrd,
      pay_auth_no: d.payAuthNo,
      pay_token: createHash('sha256').update(`token-${serial}-${d.medOrgOrd}`).digest('hex').slice(0, 32),
      mdtrt_id: `MD${String(serial).padStart(10, '0')}`,
      fingerprint,
      ord_stas: '0',
      fee_sumamt: split.feeSumamt,
      fund_pay: split.fundPay,
      psn_acct_pay: split.psnAcctPay,
      own_pay_amt: split.ownPayAmt,
      acct_used: null,
      hi_doc_sn: null,
      created_at: this.opts.now(),
      paid_at: null,
      ended_at: null,
    };
    this.ledger.insertOrder(row);
    this.ledger.insertTerms({
      pay_ord_id: row.pay_ord_id,
      med_type: d.medType,
      insutype: split.insutype,
      insuplc_admdvs: split.insuplcAdmdvs,
    });
    return { data: this.uploadAnswer(row) };
  }

  private uploadAnswer(o: OrderRow): Record<string, unknown> {
    return {
      payOrdId: o.pay_ord_id,
      payToken: o.pay_token,
      extData: {
        mdtrtId: o.mdtrt_id,
        feeSumamt: yuan(o.fee_sumamt),
        fundPay: yuan(o.fund_pay),
        psnAcctPay: yuan(o.psn_acct_pay),
        ownPayAmt: yuan(o.own_pay_amt),
      },
    };
  }

  pay(input: unknown): Answer {
    const p = Pay.safeParse(input);
    if (!p.success) return this.fail(p);
    const o = this.ledger.order(p.data.payOrdId);
    if (!o || o.pay_token !== p.data.payToken || o.pay_auth_no !== p.data.payAuthNo) return refuse(3001, '订单不存在或支付凭证不符');
    // Paid already (a lost answer, asked again): the same result, nothing paid twice.
    if (o.ord_stas === '4' || o.ord_stas === '8') return { data: orderAnswer(o, this.ledger) };
    if (o.ord_stas !== '0') return refuse(3002, '订单已撤销');
    const acct = p.data.acctUsedFlag === '0' ? 0 : o.psn_acct_pay;
    const own = o.own_pay_amt + (o.psn_acct_pay - acct);
    const auth = this.ledger.auth(o.pay_auth_no);
    if (!auth || auth.wallet_fen < own) return refuse(3003, '患者钱包余额不足');
    this.ledger.debitWallet(o.pay_auth_no, own);
    const now = this.opts.now();
    this.ledger.updateOrder(o.pay_ord_id, {
      ord_stas: '4',
      acct_used: acct > 0 ? 1 : 0,
      psn_acct_pay: acct,
      own_pay_amt: own,
      hi_doc_sn: `HI${o.pay_ord_id.slice(3)}`,
      paid_at: now,
    });
    this.opts.books?.paid(o.pay_ord_id);
    this.opts.onPaid(o.pay_ord_id);
    return { data: orderAnswer(this.ledger.order(o.pay_ord_id)!, this.ledger) };
  }

  query(input: unknown): Answer {
    const p = ByOrder.safeParse(input);
    if (!p.success) return this.fail(p);
    const o = this.ledger.order(p.data.payOrdId);
    return o ? { data: orderAnswer(o, this.ledger) } : refuse(4001, '订单不存在');
  }

  refund(input: unknown): Answer {
    const p = Refund.safeParse(input);
    if (!p.success) return this.fail(p);
    const d = p.data;
    const done = this.ledger.refund(d.appRefdSn);
    if (done) {
      if (done.pay_ord_id !== d.payOrdId) return refuse(5001, '退款流水号已用于其他订单');
      return { data: { payOrdId: d.payOrdId, appRefdSn: d.appRefdSn, refStatus: 'SUCC' } };
    }
    const o = this.ledger.order(d.payOrdId);
    if (!o) return refuse(4001, '订单不存在');
    if (o.ord_stas === '8') return refuse(5002, '订单已全额退款');
    if (o.ord_stas !== '4') return refuse(5003, '订单未结算');
    const amounts = [d.totlRefdAmt, d.fundRefdAmt, d.psnAcctRefdAmt, d.cashRefdAmt].map(parseAmount);
    const expected = [o.fee_sumamt, o.fund_pay, o.psn_acct_pay, o.own_pay_amt];
    // This centre refunds whole bills only (refdType ALL): the parts must be the original parts.
    if (d.refdType !== 'ALL' || amounts.some((a, i) => a !== expected[i])) return refuse(5004, '退款金额与原结算不符（仅支持全额退款）');
    this.ledger.insertRefund({
      app_refd_sn: d.appRefdSn,
      pay_ord_id: o.pay_ord_id,
      totl_fen: o.fee_sumamt,
      fund_fen: o.fund_pay,
      acct_fen: o.psn_acct_pay,
      cash_fen: o.own_pay_amt,
      created_at: this.opts.now(),
    });
    this.ledger.debitWallet(o.pay_auth_no, -o.own_pay_amt);
    this.ledger.updateOrder(o.pay_ord_id, { ord_stas: '8', ended_at: this.opts.now() });
    this.opts.books?.refunded(o.pay_ord_id, d.appRefdSn);
    return { data: { payOrdId: d.payOrdId, appRefdSn: d.appRefdSn, refStatus: 'SUCC' } };
  }

  revoke(input: unknown): Answer {
    const p = ByOrder.safeParse(input);
    if (!p.success) return this.fail(p);
    const o = this.ledger.order(p.data.payOrdId);
    if (!o) return refuse(4001, '订单不存在');
    if (o.ord_stas === '4' || o.ord_stas === '8') return refuse(6001, '订单已结算，不能撤销');
    if (o.ord_stas === '0') this.ledger.updateOrder(o.pay_ord_id, { ord_stas: '7', ended_at: this.opts.now() });
    return { data: { success: true, message: '撤销成功' } };
  }
}
