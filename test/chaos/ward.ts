/**
 * The hospital around the chaos run's inpatient stays (issue 15), in the parent that outlives every kill: the
 * admission office admits each planned stay at HIS when the patient's previous one is settled there, the ward
 * charges three days (one line taken back) and takes two wallet deposits (a real trade at the platform, then HIS's
 * deposit record), and the doctor orders the discharge a few seconds later, with a last day charged after the
 * background uploader had its chance. At the end, `stayViolations` checks each stay on every book on its own:
 *   - centre: one live inpatient visit for a stay the station admitted, none for one it cancelled; exactly one
 *     live settlement (2304) for a settled stay, none otherwise; every fee line of HIS's held exactly once
 *   - HIS's ward: exactly one live discharge settlement for a completed stay, with the centre's setl_id and amounts
 *   - deposits: per deposit, what the platform refunded on its trade is what HIS recorded as refunded; once the stay
 *     is done, together the surplus (the deposits less the cash part HIS applied)
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { HisSimulator } from '../../src/simulators/his';
import type { PayChannelSimulator } from '../../src/simulators/pay-channel';
import type { CentreBooks } from '../../src/simulators/nhsa';
import { PayChannelClient } from '../../src/insurance/pay-channel';
import { fen } from '../../src/shared/money';
import { STAYS_FILE, UNDONE_FILE, type ChaosStay } from './plan';

/** Three days on the ward: 0.9% NaCl ×2 and amoxicillin ×1 a day (the integration test's bill). */
const DAY_LINES = [
  { hospCode: 'Y0006', quantity: '2' },
  { hospCode: 'Y0001', quantity: '1' },
];

export interface WardStay {
  stay: ChaosStay;
  dataDir: string;
  iptNo?: string;
  /** The deposits' platform trades (out_trade_no) by HIS deposit number. */
  deposits: Map<string, string>;
  dischargeAt?: number;
  /** HIS's fee lines of the stay that stand: neither taken back nor a taking-back (what the centre must hold active). */
  lines: number;
}

export function startWard(opts: {
  his: HisSimulator;
  pay: PayChannelSimulator;
  payKey: string;
  mchId: string;
  random: () => number;
  stations: { dataDir: string; stays: ChaosStay[] }[];
}) {
  const client = new PayChannelClient({ baseUrl: opts.pay.url, mchId: opts.mchId, key: opts.payKey, timeoutMs: 5_000 });
  const ward = opts.his.control.ward;
  const all: WardStay[] = opts.stations.flatMap((st) =>
    st.stays.map((stay) => ({ stay, dataDir: st.dataDir, deposits: new Map(), lines: 0 })),
  );
  const hisState = () => new Map(ward.stays().map((s) => [s.ipt_no, s.state]));

  const writeAdmissions = (dataDir: string) => {
    const admitted = Object.fromEntries(all.filter((w) => w.dataDir === dataDir && w.iptNo).map((w) => [w.stay.key, w.iptNo!]));
    const file = path.join(dataDir, STAYS_FILE);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(admitted));
    fs.renameSync(`${file}.tmp`, file);
  };

  /** A wallet deposit at the admission office: a QR the patient pays (precreate is not among the faults), then HIS. */
  async function deposit(w: WardStay, channel: 'wechat' | 'alipay', amountFen: number): Promise<void> {
    const outTradeNo = `YJ${w.iptNo}${w.deposits.size + 1}`;
    const wallet = opts.pay.control.wallet({ channel: channel === 'wechat' ? 'WECHAT' : 'ALIPAY', balanceFen: 10_000_000 });
    const qr = await client.precreate({
      outTradeNo,
      totalFee: fen(amountFen),
      subject: '住院预交金',
      expiresAt: new Date(Date.now() + 600_000),
      wallet: channel,
    });
    if (qr.kind !== 'ok') throw new Error(`deposit QR: ${JSON.stringify(qr)}`);
    const paid = opts.pay.control.payQr(qr.value.codeUrl, wallet.authCode);
    if (!paid.paid) throw new Error(`deposit not paid: ${paid.reason}`);
    const transactionId = opts.pay.control.trade(outTradeNo)?.transaction_id ?? '';
    const depositNo = ward.deposit({ iptNo: w.iptNo!, channel, amountFen, outTradeNo, transactionId });
    w.deposits.set(depositNo, outTradeNo);
  }

  /** The ward's patients in the plan's order: a stay to be undone gets its patient's own bed from the top of the ward. */
  const patients = [...new Set(all.map((w) => w.stay.patientId))];
  const undoneKeys = (dataDir: string): string[] => {
    try {
      return JSON.parse(fs.readFileSync(path.join(dataDir, UNDONE_FILE), 'utf8')) as string[];
    } catch {
      return [];
    }
  };

  async function admit(w: WardStay): Promise<void> {
    // HIS's cancel of the discharge's booking puts the patient back in their bed: nobody else may have taken it since.
    const bedNo = w.stay.undo ? String(30 - patients.indexOf(w.stay.patientId)).padStart(2, '0') : undefined;
    w.iptNo = ward.admit({ patientId: w.stay.patientId, wardCode: w.stay.wardCode, ...(bedNo ? { bedNo } : {}) });
    for (const day of ['2026-12-01', '2026-12-02', '2026-12-03']) w.lines += ward.charge({ iptNo: w.iptNo, day, lines: DAY_LINES }).length;
    // Line 2 taken back: cancelled at the centre by 2302 if it was up, left out with its taking-back if not.
    ward.takeBack(w.iptNo, 2);
    w.lines -= 1;
    await deposit(w, 'wechat', 20_000 + Math.floor(opts.random() * 30_000));
    await deposit(w, 'alipay', 10_000 + Math.floor(opts.random() * 20_000));
    w.dischargeAt = Date.now() + 1_500 + Math.floor(opts.random() * 4_000);
    writeAdmissions(w.dataDir);
  }

  /** One round: admissions whose patient is free, discharge orders that are due. */
  async function round(): Promise<void> {
    const state = hisState();
    const busy = new Set<string>();
    for (const w of all) {
      if (w.iptNo) {
        const s = state.get(w.iptNo);
        if (s !== 'settled' && s !== 'cancelled') busy.add(w.stay.patientId);
        // Settled but its undo still to come: the patient is not admitted again meanwhile (HIS keeps one stay each).
        if (s === 'settled' && w.stay.undo && !undoneKeys(w.dataDir).includes(w.stay.key)) busy.add(w.stay.patientId);
        if (s === 'in' && w.dischargeAt !== undefined && Date.now() >= w.dischargeAt) {
          w.lines += ward.charge({ iptNo: w.iptNo, lines: [DAY_LINES[0]!] }).length; // the day of discharge
          ward.orderDischarge(w.iptNo);
          w.dischargeAt = undefined;
        }
        continue;
      }
      if (busy.has(w.stay.patientId)) continue;
      busy.add(w.stay.patientId);
      await admit(w);
    }
  }

  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await round();
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    stays: all,
    async stop(): Promise<void> {
      stopped = true;
      await loop;
    },
  };
}

export interface StayFinding {
  invariant: 'stay-centre' | 'stay-fees' | 'stay-his' | 'stay-deposits';
  stay: string;
  detail: string;
}

/** Every stay on every book on its own (see the head of this file); the station's stays read from its own file. */
export function stayViolations(
  stays: readonly WardStay[],
  books: { centre: CentreBooks; centreDb: string; his: HisSimulator; pay: PayChannelSimulator },
): { findings: StayFinding[]; settled: number; depositRefunds: number } {
  const findings: StayFinding[] = [];
  const say = (invariant: StayFinding['invariant'], stay: string, detail: string) => findings.push({ invariant, stay, detail });
  const wardBooks = books.his.control.ward.wardBooks();
  const pay = books.pay.control.books();
  const centreDb = new Database(books.centreDb, { readonly: true, fileMustExist: true });
  const stationDbs = new Map<string, Database.Database>();
  let settled = 0;
  try {
    for (const w of stays) {
      if (!w.iptNo) {
        say('stay-centre', w.stay.key, 'never admitted at HIS (the patient’s previous stay never settled)');
        continue;
      }
      const name = `${w.iptNo} (${w.stay.key})`;
      if (!stationDbs.has(w.dataDir)) stationDbs.set(w.dataDir, new Database(path.join(w.dataDir, 'station.db'), { readonly: true }));
      const row = stationDbs
        .get(w.dataDir)!
        .prepare('SELECT state, mdtrt_id AS mdtrtId FROM inpatient_stays WHERE ipt_no = ?')
        .get(w.iptNo) as { state: string; mdtrtId: string | null } | undefined;
      const state = row?.state ?? 'none';
      const admitted = ['admitted', 'discharged', 'settled', 'completed'].includes(state);
      // The centre: its inpatient visits of this stay, their settlements and fee lines.
      const visits = books.centre.visits.filter((v) => v.kind === 'inpatient' && v.ipt_otp_no === w.iptNo && v.state !== 'cancelled');
      if (visits.length !== (admitted ? 1 : 0))
        say('stay-centre', name, `${visits.length} live visit(s) at the centre, the stay is ${state}`);
      if (admitted && visits[0] && visits[0].mdtrt_id !== row?.mdtrtId)
        say('stay-centre', name, `the centre's visit ${visits[0].mdtrt_id} is not the station's ${row?.mdtrtId}`);
      const mdtrtIds = new Set(books.centre.visits.filter((v) => v.ipt_otp_no === w.iptNo).map((v) => v.mdtrt_id));
      const live = books.centre.settlements.filter((x) => mdtrtIds.has(x.mdtrt_id) && x.state === 'settled');
      const wantSettled = state === 'settled' || state === 'completed' ? 1 : 0;
      if (live.length !== wantSettled) say('stay-centre', name, `${live.length} live settlement(s) at the centre, the stay is ${state}`);
      if (row?.mdtrtId) {
        const lines = centreDb
          .prepare(
            `SELECT feedetl_sn AS sn, count(*) AS n, sum(state = 'active') AS active FROM fee_line WHERE mdtrt_id = ? GROUP BY feedetl_sn`,
          )
          .all(row.mdtrtId) as { sn: string; n: number; active: number }[];
        for (const l of lines) if (l.n !== 1) say('stay-fees', name, `fee line ${l.sn} held ${l.n} times at the centre`);
        const active = lines.filter((l) => l.active > 0).length;
        if (wantSettled && active !== w.lines)
          say('stay-fees', name, `the centre holds ${active} active fee lines, HIS ${w.lines} standing`);
      }
      // HIS's ward: one live discharge settlement for a completed stay, the centre's.
      const his = wardBooks.settlements.filter((x) => x.iptNo === w.iptNo && x.state === 'settled');
      const wantHis = state === 'completed' ? 1 : 0;
      if (his.length !== wantHis) say('stay-his', name, `HIS holds ${his.length} live settlement(s), the stay is ${state}`);
      const [booked] = his;
      const [centre] = live;
      if (booked && centre) {
        const same =
          booked.setlId === centre.setl_id &&
          booked.medfeeFen === centre.medfee_sumamt &&
          booked.fundFen === centre.fund_pay_sumamt &&
          booked.acctFen === centre.acct_pay &&
          booked.cashFen === centre.psn_cash_pay;
        if (!same) say('stay-his', name, `HIS booked ${JSON.stringify(booked)}, the centre settled ${JSON.stringify(centre)}`);
      }
      if (state === 'completed') settled += 1;
      // The deposits: the platform's refunds on each deposit's trade are HIS's refunds of that deposit; all of them
      // together the surplus once the stay is done (every deposit is a wallet's: nothing waits at the window).
      let refunded = 0;
      let paidIn = 0;
      for (const [depositNo, outTradeNo] of w.deposits) {
        const atPlatform = pay.refunds
          .filter((r) => r.out_trade_no === outTradeNo && r.state !== 'CHANGE')
          .reduce((sum, r) => sum + r.refund_fee, 0);
        const atHis = wardBooks.depositRefunds.filter((r) => r.depositNo === depositNo).reduce((sum, r) => sum + r.amountFen, 0);
        if (atPlatform !== atHis)
          say('stay-deposits', name, `deposit ${depositNo}: the platform refunded ${atPlatform} fen, HIS recorded ${atHis}`);
        refunded += atHis;
        paidIn += pay.trades.find((t) => t.out_trade_no === outTradeNo)?.total_fee ?? 0;
      }
      const surplus = booked ? paidIn - booked.cashFen : 0;
      if (refunded !== surplus) say('stay-deposits', name, `${refunded} fen of the deposits refunded, the surplus is ${surplus}`);
    }
  } finally {
    centreDb.close();
    for (const db of stationDbs.values()) db.close();
  }
  const depositRefunds = wardBooks.depositRefunds.length;
  const refundNos = new Set(wardBooks.depositRefunds.map((r) => r.refundTradeNo));
  if (refundNos.size !== depositRefunds) say('stay-deposits', '?', 'HIS recorded one platform refund twice');
  return { findings, settled, depositRefunds };
}
