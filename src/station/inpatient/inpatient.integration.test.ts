/**
 * Issue 15, item 2 with real parts: the NHSA centre and HIS simulators on 127.0.0.1, the station's SQLite file and
 * outbox. A HIS stay is admitted at the centre (2401); its fee lines go up in batches (2301), one taken back after it
 * went up is cancelled by 2302, and the centre holds each line exactly once, also when a batch's answer is lost
 * (asked again under its own msgid) or the station restarts between batches; the pre-settlement (2303) prices HIS's whole bill, lines executed after the
 * last upload included. A lost 2401 is found by 5201 and cancelled by 2404, and the stay can be admitted again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CentreFixture } from '../../simulators/nhsa';
import type { HisSimulator } from '../../simulators/his';
import type { PayChannelSimulator } from '../../simulators/pay-channel';
import { queryFeeDetails } from '../../insurance/nhsa';
import { fen } from '../../shared/money';
import { NURSE, type InpatientRig } from './testing/inpatient-rig';
import { startInpatientWorld, type InpatientWorld } from '../../../test/harness/inpatient-world';
import { NEVER_UNDONE_QUERY_TIMING } from './movements/fee-batch';

/** 陈建国: in HIS and the centre's population (same ID number and psn_no). */
const PATIENT = { hisId: 'P000101', idNo: '350203196804122036' };
/** 黄志强: resident scheme (390), no personal account — his self-pay share is a cash part. */
const RESIDENT = { hisId: 'P000103', idNo: '350211195203054010' };

let w: InpatientWorld;
let fx: CentreFixture;
let his: HisSimulator;
let pay: PayChannelSimulator;
let rig: InpatientRig;

beforeEach(async () => {
  w = await startInpatientWorld('inpatient', { batchSize: 3 });
  ({ fx, his, pay, rig } = w);
});
afterEach(() => w.close());

/** Three days on the ward — 0.9% NaCl ×2 (4.20) and amoxicillin ×1 (12.50) a day — and the first amoxicillin taken back. */
function threeDays(iptNo: string): void {
  for (const day of ['2026-12-01', '2026-12-02', '2026-12-03']) {
    his.control.ward.charge({
      iptNo,
      day,
      lines: [
        { hospCode: 'Y0006', quantity: '2' },
        { hospCode: 'Y0001', quantity: '1' },
      ],
    });
  }
  his.control.ward.takeBack(iptNo, 2);
}

/** The stay's fee lines the centre holds (5204), by feedetl_sn. */
async function centreLines(rig: InpatientRig, stayId: string): Promise<string[]> {
  const stay = rig.stays.get(stayId)!;
  const o = await rig.gateway.perform(
    '5204',
    NURSE,
    (client, ctx) => queryFeeDetails(client, ctx, { psn_no: stay.psnNo, mdtrt_id: stay.mdtrtId!, setl_id: '' }),
    { insuredRegion: stay.insuredRegion },
  );
  if (o.kind !== 'ok') throw new Error(JSON.stringify(o));
  return o.output.map((l) => l.feedetl_sn).sort();
}

const sns = (iptNo: string, lineNos: readonly number[]) => lineNos.map((n) => `${iptNo}-${n}`).sort();
/** What the centre holds after `threeDays`: line 2 cancelled by 2302, its taking-back (line 7) never sent. */
const HELD = [1, 3, 4, 5, 6];

async function admitted(who = PATIENT): Promise<{ iptNo: string; stayId: string }> {
  const iptNo = his.control.ward.admit({ patientId: who.hisId, wardCode: 'W0301' });
  const stay = await rig.service.admit(NURSE, iptNo, await rig.person(who.idNo));
  return { iptNo, stayId: stay.id };
}

describe('an inpatient stay at the centre', () => {
  it('is admitted (2401), its lines go up in batches once each, and the pre-settlement prices the whole bill', async () => {
    const { iptNo, stayId } = await admitted();
    expect(rig.stays.get(stayId)).toMatchObject({ state: 'admitted', uploadedUptoLine: 0, ward: { code: 'W0301', bedNo: '01' } });
    expect(rig.stays.get(stayId)!.mdtrtId).toMatch(/\S/);
    threeDays(iptNo);

    // 7 lines in batches of 3: 1–3, 4–6, then line 7 (taking line 2 back) as a 2302 of line 2.
    expect(await rig.uploader.upload(stayId)).toEqual({ kind: 'up-to-date', uptoLine: 7, batches: 3 });
    expect(await centreLines(rig, stayId)).toEqual(sns(iptNo, HELD));
    const batches = fx.centre.control.requests().filter((r) => r.infno === '2301');
    expect(batches).toHaveLength(2);

    // Nothing new: no call. A fourth day, then the pre-settlement uploads it first and prices all of it.
    expect(await rig.uploader.upload(stayId)).toEqual({ kind: 'up-to-date', uptoLine: 7, batches: 0 });
    his.control.ward.charge({ iptNo, lines: [{ hospCode: 'Y0006', quantity: '1' }] });
    const preview = await rig.service.preSettle(NURSE, stayId);
    // 3 × (8.40 + 12.50) − 12.50 + 4.20 = 54.40
    expect(preview).toMatchObject({ medfeeFen: 5440, uptoLine: 8 });
    expect(preview.fundFen + preview.acctFen + preview.cashFen).toBeLessThanOrEqual(5440);
    expect(await centreLines(rig, stayId)).toEqual(sns(iptNo, [...HELD, 8]));
  });

  it('a batch whose answer is lost is asked again under its own msgid: booked once, and the upload goes on after it', async () => {
    const { iptNo, stayId } = await admitted();
    threeDays(iptNo);
    fx.centre.control.inject({ infno: '2301', fault: { kind: 'drop-response' }, times: 1 });
    const first = await rig.uploader.upload(stayId);
    expect(first).toMatchObject({ kind: 'stopped', uptoLine: 0, batches: 1 });
    expect(rig.outbox.isLocked(stayId)).toBe(true);

    await rig.outbox.resolveNow();
    expect(rig.outbox.isLocked(stayId)).toBe(false);
    expect(rig.stays.get(stayId)!.uploadedUptoLine).toBe(3);
    const sent = fx.centre.control.requests().filter((r) => r.infno === '2301');
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ msgid: sent[0]!.msgid, replayed: true });

    expect(await rig.uploader.upload(stayId)).toEqual({ kind: 'up-to-date', uptoLine: 7, batches: 2 });
    expect(await centreLines(rig, stayId)).toEqual(sns(iptNo, HELD));
  });

  it('a batch left in doubt by a station back past the query window is asked again under its msgid, not left for a person', async () => {
    let away = 0;
    rig = await w.restart({ batchSize: 3, now: () => new Date(Date.now() + away) });
    const { iptNo, stayId } = await admitted();
    threeDays(iptNo);
    // The batch's answer is lost, and so is the first one asked again on the station's return an hour later.
    fx.centre.control.inject({ infno: '2301', fault: { kind: 'drop-response' }, times: 2 });
    expect(await rig.uploader.upload(stayId)).toMatchObject({ kind: 'stopped', uptoLine: 0, batches: 1 });
    away = 3_600_000;
    await rig.outbox.resolveNow();
    expect(rig.outbox.isLocked(stayId)).toBe(true);
    away += NEVER_UNDONE_QUERY_TIMING.everyMs; // asked again at the calm pace, not compensated (it has no undo)
    await rig.outbox.resolveNow();
    expect(rig.outbox.isLocked(stayId)).toBe(false);
    expect(rig.stays.get(stayId)!.uploadedUptoLine).toBe(3);
    expect(await rig.uploader.upload(stayId)).toEqual({ kind: 'up-to-date', uptoLine: 7, batches: 2 });
    expect(await centreLines(rig, stayId)).toEqual(sns(iptNo, HELD));
  });

  it('a restarted station goes on after the last line the centre holds', async () => {
    const { iptNo, stayId } = await admitted();
    his.control.ward.charge({
      iptNo,
      day: '2026-12-01',
      lines: [
        { hospCode: 'Y0006', quantity: '2' },
        { hospCode: 'Y0001', quantity: '1' },
      ],
    });
    expect(await rig.uploader.upload(stayId)).toEqual({ kind: 'up-to-date', uptoLine: 2, batches: 1 });
    // The station stops; the ward goes on (two more days, a line taken back); the station starts on the same data dir.
    await w.stop();
    for (const day of ['2026-12-02', '2026-12-03']) {
      his.control.ward.charge({
        iptNo,
        day,
        lines: [
          { hospCode: 'Y0006', quantity: '2' },
          { hospCode: 'Y0001', quantity: '1' },
        ],
      });
    }
    his.control.ward.takeBack(iptNo, 2);
    rig = w.start();
    expect(rig.stays.get(stayId)!.uploadedUptoLine).toBe(2);
    // 3–5, 6, then the 2302 of line 2 (a batch stops before a taking-back of a line already up).
    expect(await rig.uploader.upload(stayId)).toEqual({ kind: 'up-to-date', uptoLine: 7, batches: 3 });
    expect(await centreLines(rig, stayId)).toEqual(sns(iptNo, HELD));
  });

  it('a lost 2401 is found by 5201 and cancelled by 2404; the stay is then admitted again', async () => {
    const iptNo = his.control.ward.admit({ patientId: PATIENT.hisId, wardCode: 'W0301' });
    const person = await rig.person(PATIENT.idNo);
    fx.centre.control.inject({ infno: '2401', fault: { kind: 'drop-response' }, times: 1 });
    await expect(rig.service.admit(NURSE, iptNo, person)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    const stay = rig.stays.byIptNo(iptNo)!;
    expect(stay.state).toBe('in-doubt');
    await rig.outbox.resolveNow();
    expect(rig.stays.get(stay.id)!.state).toBe('cancelled');
    const calls = fx.centre.control.requests().map((r) => r.infno);
    expect(calls.filter((i) => ['2401', '5201', '2404'].includes(i))).toEqual(['2401', '5201', '2404', '5201']);

    const again = await rig.service.admit(NURSE, iptNo, person);
    expect(again).toMatchObject({ id: stay.id, state: 'admitted' });
  });

  it('refuses a person who is not the HIS patient of the stay, and a stay HIS no longer has in the ward', async () => {
    const iptNo = his.control.ward.admit({ patientId: PATIENT.hisId, wardCode: 'W0301' });
    const someoneElse = await rig.person('350206198509231027');
    await expect(rig.service.admit(NURSE, iptNo, someoneElse)).rejects.toMatchObject({ code: 'CONFLICT' });
    his.control.ward.cancelAdmission(iptNo);
    await expect(rig.service.admit(NURSE, iptNo, await rig.person(PATIENT.idNo))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(rig.stays.byIptNo(iptNo)).toBeUndefined();
  });
});

describe('a discharge settled at the bedside', () => {
  /** Admitted, three days charged (50.20) and a class C self-pay item (36.00: the patient's in full), deposits. */
  async function readyToGoHome(deposits: { channel: 'wechat' | 'alipay' | 'cash'; amountFen: number }[]) {
    const { iptNo, stayId } = await admitted(RESIDENT);
    threeDays(iptNo);
    his.control.ward.charge({ iptNo, lines: [{ hospCode: 'Y0007', quantity: '1' }] });
    const depositNos: string[] = [];
    for (const x of deposits) depositNos.push(await deposit(iptNo, x.channel, x.amountFen));
    return { iptNo, stayId, depositNos };
  }

  /** A deposit paid at the admission office: a wallet's by a real trade at the platform, then booked at HIS. */
  async function deposit(iptNo: string, channel: 'wechat' | 'alipay' | 'cash', amountFen: number): Promise<string> {
    if (channel === 'cash') return his.control.ward.deposit({ iptNo, channel, amountFen });
    const wallet = pay.control.wallet({ channel: channel === 'wechat' ? 'WECHAT' : 'ALIPAY', balanceFen: 10_000_000 });
    const outTradeNo = `YJ${iptNo}${amountFen}`;
    const paid = await rig.pay.micropay({ outTradeNo, totalFee: fen(amountFen), subject: '住院预交金', authCode: wallet.authCode });
    if (paid.kind !== 'ok' || paid.value.status !== 'paid') throw new Error(JSON.stringify(paid));
    return his.control.ward.deposit({ iptNo, channel, amountFen, outTradeNo, transactionId: paid.value.payment.transactionId });
  }

  async function dischargedAndSettled(deposits: { channel: 'wechat' | 'alipay' | 'cash'; amountFen: number }[]) {
    const ready = await readyToGoHome(deposits);
    his.control.ward.orderDischarge(ready.iptNo);
    await rig.service.discharge(NURSE, ready.stayId);
    const stay = await rig.service.settleDischarge(NURSE, ready.stayId);
    return { ...ready, stay };
  }

  /** What the platform refunded, by trade. */
  const refundedAt = () => pay.control.refunds().map((r) => [r.out_trade_no, r.refund_fee, r.state]);

  it('2402 after the doctor’s order, 2303 and 2304, then HIS books it with the deposits applied oldest first', async () => {
    const { iptNo, stayId, depositNos } = await readyToGoHome([
      { channel: 'wechat', amountFen: 1000 },
      { channel: 'alipay', amountFen: 20_000 },
    ]);
    await expect(rig.service.discharge(NURSE, stayId)).rejects.toMatchObject({ code: 'CONFLICT' });
    his.control.ward.orderDischarge(iptNo);
    expect(await rig.service.discharge(NURSE, stayId)).toMatchObject({ state: 'discharged', uploadedUptoLine: 8 });

    const preview = await rig.service.preSettleDischarge(NURSE, stayId);
    expect(preview).toMatchObject({ medfeeFen: 8620, depositBalanceFen: 21_000, plan: { shortfallFen: 0 } });
    expect(preview.cashFen).toBeGreaterThanOrEqual(3600);
    expect(preview.plan.surplusFen).toBe(21_000 - preview.cashFen);

    const done = await rig.service.settleDischarge(NURSE, stayId);
    expect(done.state).toBe('completed');
    expect(done.settlement).toMatchObject({ medfeeFen: 8620, cashFen: preview.cashFen, uptoLine: 8 });
    expect(done.booking!.surplusFen).toBe(21_000 - preview.cashFen);
    const booked = his.control.ward.wardBooks().settlements;
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ kind: 'discharge', state: 'settled', setlId: done.settlement!.setlId, cashFen: preview.cashFen });
    // Oldest first: the 10.00 WeChat deposit before the Alipay one.
    const applied = booked[0]!.deposits;
    expect(applied.reduce((sum, x) => sum + x.amountFen, 0)).toBe(preview.cashFen);
    expect(applied).toEqual([
      { depositNo: depositNos[0], amountFen: 1000 },
      { depositNo: depositNos[1], amountFen: preview.cashFen - 1000 },
    ]);
  });

  it('a discharge while the background upload of the stay is in flight waits for it instead of answering "busy"', async () => {
    const { iptNo, stayId } = await readyToGoHome([{ channel: 'wechat', amountFen: 21_000 }]);
    his.control.ward.orderDischarge(iptNo);
    fx.centre.control.inject({ infno: '2301', fault: { kind: 'delay', ms: 400 }, times: 1 });
    const background = rig.uploader.upload(stayId); // the uploader's own pace took the stay up: a 2301 is out
    await expect.poll(() => rig.outbox.isLocked(stayId)).toBe(true);
    expect(await rig.service.discharge(NURSE, stayId)).toMatchObject({ state: 'discharged', uploadedUptoLine: 8 });
    expect(await background).toMatchObject({ kind: 'up-to-date' });
    expect(await rig.service.preSettleDischarge(NURSE, stayId)).toMatchObject({ medfeeFen: 8620 });
  });

  it('a 2304 whose answer is lost is reversed by 2601; the stay is settled once afterwards', async () => {
    const { iptNo, stayId } = await readyToGoHome([{ channel: 'wechat', amountFen: 20_000 }]);
    his.control.ward.orderDischarge(iptNo);
    await rig.service.discharge(NURSE, stayId);
    fx.centre.control.inject({ infno: '2304', fault: { kind: 'drop-response' }, times: 1 });
    await expect(rig.service.settleDischarge(NURSE, stayId)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    await rig.outbox.resolveNow();
    expect(rig.stays.get(stayId)!.state).toBe('discharged');
    const reversal = fx.centre.control.requests().filter((r) => r.infno === '2601');
    expect(reversal).toHaveLength(1);

    expect((await rig.service.settleDischarge(NURSE, stayId)).state).toBe('completed');
    expect(fx.centre.control.requests().filter((r) => r.infno === '2304')).toHaveLength(2);
    expect(his.control.ward.wardBooks().settlements.filter((x) => x.state === 'settled')).toHaveLength(1);
  });

  it('HIS’s booking whose answer is lost is found by settle id: booked once', async () => {
    const { iptNo, stayId } = await readyToGoHome([{ channel: 'alipay', amountFen: 20_000 }]);
    his.control.ward.orderDischarge(iptNo);
    await rig.service.discharge(NURSE, stayId);
    his.control.inject({ op: 'inpatient.settle', fault: { kind: 'drop-response' }, times: 1 });
    await expect(rig.service.settleDischarge(NURSE, stayId)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    await rig.outbox.resolveNow();
    expect(rig.stays.get(stayId)!.state).toBe('completed');
    expect(his.control.ward.wardBooks().settlements).toHaveLength(1);
  });

  it('HIS’s booking left in doubt by a station back past the query window is found by settle id, not left for a person', async () => {
    let away = 0;
    rig = await w.restart({ batchSize: 3, now: () => new Date(Date.now() + away) });
    const { iptNo, stayId } = await readyToGoHome([{ channel: 'alipay', amountFen: 20_000 }]);
    his.control.ward.orderDischarge(iptNo);
    await rig.service.discharge(NURSE, stayId);
    // The booking's answer is lost, and HIS does not answer the first look-up on the station's return an hour later.
    his.control.inject({ op: 'inpatient.settle', fault: { kind: 'drop-response' }, times: 1 });
    await expect(rig.service.settleDischarge(NURSE, stayId)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    his.control.inject({ op: 'inpatient.settle.get', fault: { kind: 'http-500' }, times: 1 });
    away = 3_600_000;
    await rig.outbox.resolveNow();
    expect(rig.stays.get(stayId)!.state).not.toBe('completed');
    away += NEVER_UNDONE_QUERY_TIMING.everyMs;
    await rig.outbox.resolveNow();
    expect(rig.stays.get(stayId)!.state).toBe('completed');
    expect(his.control.ward.wardBooks().settlements).toHaveLength(1);
  });

  it('deposits short of the cash part: settled at the centre, the shortfall kept, nothing booked at HIS yet', async () => {
    const { iptNo, stayId } = await readyToGoHome([{ channel: 'wechat', amountFen: 1 }]);
    his.control.ward.orderDischarge(iptNo);
    await rig.service.discharge(NURSE, stayId);
    const preview = await rig.service.preSettleDischarge(NURSE, stayId);
    expect(preview.plan.shortfallFen).toBe(preview.cashFen - 1);
    // Collected at the bedside next (shortfall.integration.test.ts).
    expect(await rig.service.settleDischarge(NURSE, stayId)).toMatchObject({ state: 'settled', shortfallFen: preview.plan.shortfallFen });
    expect(his.control.ward.wardBooks().settlements).toHaveLength(0);
  });

  it('the surplus goes back to the WeChat records the nurse ticks, then HIS records each refund', async () => {
    const { iptNo, stayId, depositNos, stay } = await dischargedAndSettled([
      { channel: 'wechat', amountFen: 30_000 },
      { channel: 'wechat', amountFen: 20_000 },
    ]);
    const surplusFen = 50_000 - stay.settlement!.cashFen;
    expect(stay.booking!.surplusFen).toBe(surplusFen);
    // The system picks the fewest records: the 300.00 one is spent first on the cash part, so both are needed.
    const suggested = await rig.surplus.suggest(stayId);
    expect(suggested.plan).toMatchObject({ kind: 'channels' });

    const done = await rig.surplus.refund(stayId, [depositNos[1]!, depositNos[0]!]);
    expect(done.surplus!.refunds.map((r) => [r.depositNo, r.amountFen, r.state])).toEqual([
      [depositNos[1], 20_000, 'recorded'],
      [depositNos[0], surplusFen - 20_000, 'recorded'],
    ]);
    expect(refundedAt()).toEqual([
      [`YJ${iptNo}20000`, 20_000, 'SUCCESS'],
      [`YJ${iptNo}30000`, surplusFen - 20_000, 'SUCCESS'],
    ]);
    const his2 = his.control.ward.wardBooks().depositRefunds;
    expect(his2.map((r) => [r.depositNo, r.channel, r.amountFen])).toEqual([
      [depositNos[1], 'wechat', 20_000],
      [depositNos[0], 'wechat', surplusFen - 20_000],
    ]);
    // Everything refunded: again is nothing more.
    await rig.surplus.refund(stayId);
    expect(pay.control.refunds()).toHaveLength(2);
  });

  it('a refund whose answer is lost is asked by its out_refund_no: refunded once, then recorded', async () => {
    const { stayId } = await dischargedAndSettled([{ channel: 'alipay', amountFen: 30_000 }]);
    pay.control.inject({ op: 'refund', fault: { kind: 'drop-response' }, times: 1 });
    await expect(rig.surplus.refund(stayId)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    await rig.outbox.resolveNow();
    expect(rig.stays.get(stayId)!.surplus!.refunds[0]!.state).toBe('paid-back');
    const done = await rig.surplus.refund(stayId);
    expect(done.surplus!.refunds[0]!.state).toBe('recorded');
    expect(pay.control.refunds()).toHaveLength(1);
    expect(his.control.ward.wardBooks().depositRefunds).toHaveLength(1);
  });

  it('when the wallet records do not cover the surplus, it waits at the window; ticking a cash record is refused', async () => {
    const { stayId, depositNos } = await dischargedAndSettled([
      { channel: 'cash', amountFen: 50_000 },
      { channel: 'wechat', amountFen: 100 },
    ]);
    await expect(rig.surplus.refund(stayId, [depositNos[0]!])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const waiting = await rig.surplus.refund(stayId);
    expect(waiting.surplus).toMatchObject({ to: 'window', refunds: [] });
    expect(waiting.surplus!.amountFen).toBe(rig.stays.get(stayId)!.booking!.surplusFen);
    expect(pay.control.refunds()).toHaveLength(0);
  });
});
