import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mobilePayTestChannel } from '../../../test/harness/mobile-pay-channel';
import {
  CHEN_JIANGUO,
  phoneDischargeBill,
  startPhoneStation,
  startPhoneWard,
  stationDischargedStay,
  type PhoneWard,
} from '../../../test/harness/phone-discharge';
import type { HisSimulator } from '../../simulators/his';
import { startMobilePayCentre, type MobilePayCentre } from '../../simulators/mobile-pay';
import { POPULATION } from '../../simulators/nhsa';
import { MobileOrdersRepo, MobileSettlement, mobileMovements, newMobileId } from '../../station/mobile-pay';
import { IntentsRepo, Outbox } from '../../station/outbox';
import { FieldCipher, loadOrCreateDataKeys } from '../../station/security';
import { openDatabase } from '../../station/store';
import { REPO_ROOT, runStation, stationArgv } from '../../../test/harness/station-cli';

let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-cli-mobilepay-'));
  const db = openDatabase(path.join(dataDir, 'station.db'));
  const orders = new MobileOrdersRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys'))));
  const at = new Date('2026-12-04T02:00:00.000Z');
  const patient = { idNo: '350203196804122036', idType: '01', name: '陈建国', psnNo: 'P1', insutype: '310' };
  orders.insert({ id: 'MP1', kind: 'inpatient', visitNo: 'ZY1', payAuthNo: 'A1', patient, medfeeFen: 130_000 }, at);
  orders.update('MP1', { state: 'paid', pay_ord_id: 'ORD1', pay_token: 'T1', fund_fen: 90_000, acct_fen: 30_000, own_fen: 10_000 }, at);
  orders.book('MP1', 'paid', 'resolver', at);
  db.close();
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const station = (...args: string[]) => runStation(dataDir, ...args);

/**
 * The command line while simulators run in this process: the event loop goes on meanwhile (a blocked loop leaves HIS's
 * idle keep-alive sockets to close just as the next call takes them).
 */
const stationWhileServing = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, stationArgv(dataDir, args), { cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

describe('npm run station -- mobile-pay', { timeout: 60_000 }, () => {
  it('lists all orders with their shares and bookings, without personal data', () => {
    const r = station('mobile-pay', 'list', '--all');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('MP1  住院 ZY1  paid  总额 1300.00  基金 900.00 账户 300.00 自付 100.00  中心订单 ORD1  记账 paid:resolver');
    expect(r.stdout).not.toContain('陈建国');
  });

  it('show names an unknown order and exits 1; the old area name still answers', () => {
    const r = station('mobilepay', 'show', 'NOPE');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('没有订单 NOPE');
  });

  it('refuses to cancel a paid order, and audits the refusal', () => {
    const r = station('mobile-pay', 'cancel', 'MP1');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('已支付');
    const db = openDatabase(path.join(dataDir, 'station.db'));
    expect(db.prepare(`SELECT action, outcome, detail FROM audit_log`).all()).toEqual([
      { action: 'mobilepay.cancel', outcome: 'denied', detail: 'MP1' },
    ]);
    expect(db.prepare(`SELECT count(*) AS n FROM intents`).get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('npm run station -- mobile-pay cancel of an upload the phone abandoned', { timeout: 60_000 }, () => {
  const channel = mobilePayTestChannel();
  const PATIENT = POPULATION[0]!;
  let sim: MobilePayCentre;

  beforeEach(async () => {
    sim = await startMobilePayCentre({
      ...channel.centre,
    });
  });
  afterEach(() => sim.close());

  /** The station that owns the data dir: its outbox with the mobile movements (started: the resolver looks). */
  function runningStation() {
    const db = openDatabase(path.join(dataDir, 'station.db'));
    const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys')));
    const orders = new MobileOrdersRepo(db, cipher);
    const client = channel.client(sim.url, 2000);
    const now = () => new Date();
    const outbox = new Outbox(db, new IntentsRepo(db, cipher), mobileMovements({ client, orders, now, newId: newMobileId }), {
      now,
      policy: { backoffBaseMs: 10, backoffMaxMs: 10, settleTimeMs: 0 },
    });
    return { db, outbox, orders, settlement: new MobileSettlement({ db, orders, outbox, client, now }) };
  }

  it('lists the open upload with its age, then its 6401 is sent by the running station: cancelled at the centre', async () => {
    const s = runningStation();
    const uploaded = await s.settlement.prepare({
      orderId: 'MP2',
      kind: 'outpatient',
      visitNo: 'MZ1',
      payAuthNo: sim.control.authorise(PATIENT.idNo, 500_000),
      patient: { idNo: PATIENT.idNo, idType: '01', name: PATIENT.name, psnNo: PATIENT.psnNo, insutype: '310' },
      medType: '11',
      deptCode: 'A03',
      deptName: '内科',
      begntime: '2026-12-01 08:00:00',
      lines: [{ feedetlSn: '1', medListCodg: '002501000010000', medinsListCodg: 'JC001', cnt: '10', pric: '20.00', amountFen: 20_000 }],
    });
    expect(uploaded).toMatchObject({ state: 'uploaded' });

    const listed = station('mobile-pay', 'list');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/MP2 {2}门诊 MZ1 {2}uploaded {2}总额 200\.00 {2}中心订单 \S+ {2}已 0 分钟/);
    // Paid orders not booked are open too; nothing final is listed.
    expect(listed.stdout).toContain('MP1  住院 ZY1  paid');

    const cancelled = station('mobile-pay', 'cancel', 'MP2');
    expect(cancelled.stderr).toBe('');
    expect(cancelled.status).toBe(0);
    expect(s.orders.get('MP2')?.state).toBe('cancelling');
    expect(s.outbox.isLocked('MP2')).toBe(true);
    expect(sim.control.ledger.order(uploaded.payOrdId!)?.ord_stas).not.toBe('7');

    s.outbox.start();
    await s.outbox.resolveNow();
    // On a loaded machine the first 6401 may time out: the running station's resolver asks again by itself.
    await expect
      .poll(() => s.settlement.query({ orderId: 'MP2' }), { timeout: 20_000, interval: 100 })
      .toMatchObject({
        state: 'cancelled',
        inDoubt: false,
      });
    expect(sim.control.requests.filter((r) => r.op === 'revoke_order')).toHaveLength(1);
    expect(sim.control.ledger.order(uploaded.payOrdId!)?.ord_stas).toBe('7');
    expect(station('mobile-pay', 'list').stdout).not.toContain('MP2');
    // Asked again: nothing more to withdraw.
    expect(station('mobile-pay', 'cancel', 'MP2')).toMatchObject({ status: 1, stderr: expect.stringContaining('已撤销') });
    await s.outbox.stop();
    s.db.close();
  });
});

// Eight CLI processes, each a Node start: ≈ 18 s on a quiet machine, 61 s seen under load.
describe('npm run station -- mobile-pay rebook of a discharge whose booking HIS refused', { timeout: 150_000 }, () => {
  const channel = mobilePayTestChannel();
  const PATIENT = CHEN_JIANGUO;
  let world: PhoneWard;
  let sim: MobilePayCentre;
  let his: HisSimulator;

  beforeEach(async () => {
    world = await startPhoneWard(channel);
    ({ sim, his } = world);
  });
  afterEach(() => world.close());

  /** The station that owns the data dir: the mobile movements and HIS's ward booking on its outbox (started). */
  function runningStation() {
    const db = openDatabase(path.join(dataDir, 'station.db'));
    return { db, ward: world.ward, ...startPhoneStation(dataDir, db, channel.client(sim.url, 2000), world.ward, { cancel: false }) };
  }

  it('lists the paid order as waiting with HIS’s words; rebook books it once under the same settle id; refused in any other state', async () => {
    const s = runningStation();
    const iptNo = his.control.ward.admit({ patientId: PATIENT.hisId, wardCode: 'W0301' });
    const stayId = stationDischargedStay(s.stays, iptNo, PATIENT, { insutype: '310', region: '350200' });
    his.control.ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'Y0006', quantity: '2' }] });
    his.control.ward.orderDischarge(iptNo);
    await s.settlement.prepare(await phoneDischargeBill({ orderId: 'MP3', iptNo, patient: PATIENT, insutype: '310', ward: s.ward, sim }));
    // Paid on the phone; HIS refuses the booking: the money is taken, the order waits for a person.
    his.control.inject({ op: 'inpatient.settle', fault: { kind: 'refuse', code: '4001', msg: '病区正在盘点' }, times: 1 });
    expect(await s.settlement.pay({ orderId: 'MP3' })).toMatchObject({ state: 'paid', inDoubt: false });
    const settleId = s.orders.get('MP3')!.his_settle_id!;
    expect(his.control.ward.wardBooks().settlements).toEqual([]);

    const listed = await stationWhileServing('mobile-pay', 'list');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(
      /MP3 {2}住院 \S+ {2}paid .*等待人工：HIS 拒绝记账（4001 病区正在盘点），处理后执行 mobile-pay rebook MP3/,
    );
    // A paid order HIS was never asked to book (the station books it at start) waits for nobody, and is not rebooked.
    expect(listed.stdout).toMatch(/^MP1 {2}住院 ZY1 {2}paid {2}总额 1300\.00 {2}中心订单 ORD1 {2}已 \d+ 小时$/m);
    expect(await stationWhileServing('mobile-pay', 'rebook', 'MP1')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('尚未被 HIS 拒绝记账'),
    });

    // Booked again too soon: HIS refuses again, the order is paid and waiting again, with HIS's new words.
    his.control.inject({ op: 'inpatient.settle', fault: { kind: 'refuse', code: '4002', msg: '出院医嘱待审核' }, times: 1 });
    expect((await stationWhileServing('mobile-pay', 'rebook', 'MP3')).status).toBe(0);
    await s.outbox.resolveNow();
    expect(s.settlement.query({ orderId: 'MP3' })).toMatchObject({ state: 'paid', inDoubt: false });
    expect((await stationWhileServing('mobile-pay', 'list')).stdout).toContain('等待人工：HIS 拒绝记账（4002 出院医嘱待审核）');

    const rebooked = await stationWhileServing('mobile-pay', 'rebook', 'MP3');
    expect(rebooked.stderr).toBe('');
    expect(rebooked.status).toBe(0);
    expect(rebooked.stdout).toContain(settleId);
    expect(s.outbox.isLocked('MP3')).toBe(true);
    await s.outbox.resolveNow();
    expect(s.settlement.query({ orderId: 'MP3' })).toMatchObject({ state: 'completed', inDoubt: false });
    expect(his.control.ward.wardBooks().settlements).toEqual([expect.objectContaining({ settleId, state: 'settled' })]);
    expect(s.stays.get(stayId)).toMatchObject({ state: 'completed', booking: expect.objectContaining({}) });
    expect(s.orders.bookings('MP3').map((b) => b.effect)).toEqual(['paid', 'his-booked']);
    expect((await stationWhileServing('mobile-pay', 'list')).stdout).not.toContain('MP3');
    // Booked now: nothing more to book, nothing sent.
    expect(await stationWhileServing('mobile-pay', 'rebook', 'MP3')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('已在 HIS 记账'),
    });
    expect(his.control.requests().filter((r) => r.service === 'inpatient.settle')).toHaveLength(3);
    expect(s.db.prepare(`SELECT detail, outcome FROM audit_log WHERE action = 'mobilepay.rebook' ORDER BY rowid`).all()).toEqual([
      { detail: 'MP1', outcome: 'denied' },
      { detail: 'MP3', outcome: 'ok' },
      { detail: 'MP3', outcome: 'ok' },
      { detail: 'MP3', outcome: 'denied' },
    ]);
    await s.outbox.stop();
    s.db.close();
  });
});
