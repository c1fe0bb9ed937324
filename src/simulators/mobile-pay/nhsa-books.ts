/**
 * The seam to the NHSA centre's books: the mobile-payment centre is part of the NHSA platform, so an order it settles
 * (6202) is the platform's settlement — setl_id = payOrdId, the order's mdtrt_id and person, the shares it answered,
 * clearing type 21 for an inpatient medType (2x) else 11, the insurance type and insured region it priced under —
 * and its refund (6203) cancels it there. Both run inside this centre's request, so a failure to book leaves the
 * order as it was.
 */
import type { MobileSettlementBook } from '../nhsa';
import type { MobilePayLedger } from './ledger';

export interface PlatformBooks {
  paid(payOrdId: string): void;
  refunded(payOrdId: string, appRefdSn: string): void;
}

export function platformBooks(ledger: MobilePayLedger, book: MobileSettlementBook, orgCode: string): PlatformBooks {
  return {
    paid(payOrdId) {
      const o = ledger.order(payOrdId);
      const terms = ledger.terms(payOrdId);
      const auth = o ? ledger.auth(o.pay_auth_no) : undefined;
      // An order uploaded before this centre kept its terms: nothing to book it under.
      if (!o || !terms || !auth || !o.hi_doc_sn) return;
      book.settled({
        setlId: o.pay_ord_id,
        mdtrtId: o.mdtrt_id,
        fixmedinsCode: orgCode,
        psnNo: auth.psn_no,
        insutype: terms.insutype,
        insuplcAdmdvs: terms.insuplc_admdvs,
        clrType: terms.med_type.startsWith('2') ? '21' : '11',
        medType: terms.med_type,
        medOrgOrd: o.med_org_ord,
        hiDocSn: o.hi_doc_sn,
        medfeeFen: o.fee_sumamt,
        fundFen: o.fund_pay,
        acctFen: o.psn_acct_pay,
        cashFen: o.own_pay_amt,
      });
    },
    refunded: (payOrdId, appRefdSn) => book.refunded(payOrdId, appRefdSn),
  };
}
