// The centre's books read straight from its ledger: rows written here as the handlers would write them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { centreBooks } from './books';
import { Ledger } from './ledger';
import { CareRecords, ENTRY_AMOUNTS, type EntryAmounts, type SettlementEntry } from './records';

let ledger: Ledger;
let records: CareRecords;

beforeEach(() => {
  ledger = new Ledger(':memory:');
  records = new CareRecords(ledger);
});
afterEach(() => ledger.close());

function visit(mdtrtId: string, orderNo: string): void {
  records.insertVisit({
    mdtrt_id: mdtrtId,
    kind: 'outpatient',
    fixmedins_code: 'H35020300001',
    psn_no: 'PSN1',
    insutype: '310',
    insuplc_admdvs: '350200',
    med_type: '11',
    begntime: '2026-11-22 09:40:00',
    endtime: '',
    ipt_otp_no: orderNo,
    dept_name: '',
    dr_name: '',
    dise_codg: '',
    dise_name: '',
    main_cond_dscr: '',
    state: 'registered',
    opened_by_msgid: `open-${mdtrtId}`,
  });
}

function line(mdtrtId: string, sn: string, batch: string, fen: number): void {
  records.insertFeeLine({
    mdtrt_id: mdtrtId,
    feedetl_sn: sn,
    init_feedetl_sn: '',
    chrg_bchno: batch,
    psn_no: 'PSN1',
    med_type: '11',
    fee_ocur_time: '2026-11-22 09:40:00',
    med_list_codg: 'X',
    medins_list_codg: 'X',
    cnt: '1',
    pric: '1',
    det_item_fee_sumamt: fen,
    fulamt_ownpay_amt: 0,
    overlmt_amt: 0,
    preselfpay_amt: 0,
    inscp_scp_amt: fen,
    selfpay_prop: '0',
    pric_uplmt_amt: '0',
    chrgitm_lv: '01',
    med_chrgitm_type: '09',
    uploaded_by_msgid: 'fees',
  });
}

function entry(setlId: string, mdtrtId: string, msgid: string, amounts: Partial<EntryAmounts>): void {
  const zero = Object.fromEntries(ENTRY_AMOUNTS.map((k) => [k, 0])) as EntryAmounts;
  const row: SettlementEntry = {
    ...zero,
    ...amounts,
    setl_id: setlId,
    init_setl_id: null,
    refd_setl_flag: '0',
    setl_cnt: 1,
    state: 'active',
    fixmedins_code: 'H35020300001',
    mdtrt_id: mdtrtId,
    psn_no: 'PSN1',
    insutype: '310',
    clr_type: '11',
    clr_optins: '350200',
    med_type: '11',
    mdtrt_cert_type: '02',
    mid_setl_flag: '0',
    setl_time: '2026-11-22 09:41:00',
    setl_day: '2026-11-22',
    policy_year: '2026',
    msgid,
    balc: 0,
    setldetail: '[]',
    line_ids: '[]',
  };
  records.insertEntry(row);
}

describe("the centre's books", () => {
  it('shows visits open or cancelled, fee batches live or cancelled, settlements settled, cancelled or reversed', () => {
    visit('M1', 'MZ1');
    visit('M2', 'MZ2');
    records.setVisitState('M2', 'cancelled');
    line('M1', '1', 'B1', 1000);
    line('M1', '2', 'B1', 500);
    line('M2', '1', 'B2', 700);
    records.cancelLines(records.activeLines('M2').map((l) => l.id));
    entry('S1', 'M1', 'msg-s1', { medfee_sumamt: 1500, fund_pay_sumamt: 1000, acct_pay: 300, psn_cash_pay: 200 });
    entry('S2', 'M2', 'msg-s2', { medfee_sumamt: 700 });
    records.setEntryState('S2', 'voided');
    entry('S3', 'M2', 'msg-s3', { medfee_sumamt: 700 });
    records.setEntryState('S3', 'voided');
    records.recordReversal({ omsgid: 'msg-s3', oinfno: '2207', psn_no: 'PSN1', msgid: 'msg-rev', reversed_at: '2026-11-22 09:42:00' });
    // A cancel's twin is not a settlement of its own.
    entry('S4', 'M2', 'msg-s4', { medfee_sumamt: -700 });
    ledger.db.prepare(`UPDATE setl_entry SET refd_setl_flag = '1', init_setl_id = 'S2' WHERE setl_id = 'S4'`).run();

    const books = centreBooks(ledger);
    expect(books.visits.map((v) => [v.mdtrt_id, v.ipt_otp_no, v.state])).toEqual([
      ['M1', 'MZ1', 'open'],
      ['M2', 'MZ2', 'cancelled'],
    ]);
    expect(books.feeBatches).toEqual([
      { mdtrt_id: 'M1', chrg_bchno: 'B1', lines: 2, amount_fen: 1500, state: 'live' },
      { mdtrt_id: 'M2', chrg_bchno: 'B2', lines: 1, amount_fen: 0, state: 'cancelled' },
    ]);
    expect(books.settlements.map((s) => [s.setl_id, s.mdtrt_id, s.state])).toEqual([
      ['S1', 'M1', 'settled'],
      ['S2', 'M2', 'cancelled'],
      ['S3', 'M2', 'reversed'],
    ]);
    expect(books.settlements[0]).toMatchObject({ medfee_sumamt: 1500, fund_pay_sumamt: 1000, acct_pay: 300, psn_cash_pay: 200 });
    expect(books.reversals).toEqual([{ omsgid: 'msg-s3', oinfno: '2207', psn_no: 'PSN1', msgid: 'msg-rev' }]);
  });
});
