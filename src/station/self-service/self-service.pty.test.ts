/**
 * Patient self-service (HX-T1) end to end on the device side: the runner over the real DeviceManager and
 * face-terminal driver, a socat pty, and the terminal emulator playing a scripted patient; the outpatient core
 * is an in-memory fake with the real service's state rules. Each test asserts what the patient saw (screens
 * and amounts), which port calls were made — above all which were not — and how the session ended.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceManager } from '../../devices/manager';
import { EventLog } from '../../devices/testing/event-log';
import { createSerialPortTransport } from '../../devices/transports/serial-transport';
import type { DeviceStatusView } from '../../shared/domain';
import { StationError } from '../../shared/result';
import { FaceTerminalEmulator, type EmulatedIdentity, type PatientScript } from '../../simulators/devices/face-terminal-emulator';
import { createPtyPair, isSocatAvailable, SOCAT_MISSING_REASON } from '../../simulators/devices/pty-pair';
import { DeviceLog } from '../devices';
import { SELF_SERVICE_OPERATOR } from './ports';
import { SelfServiceRunner } from './self-service-runner';
import { SELF_SERVICE_TEXT, type SelfServiceReport } from './self-service-session';
import { FakeOutpatient, openOrder, split } from './testing/fake-outpatient';
import { missing } from '../../../test/harness/prerequisites';

const INSTITUTION = 'H35020300001';
const IDENTITY: EmulatedIdentity = {
  authNo: 'AUTH20260302000001',
  ecToken: 'ADBHJRS5I01E0F3438C00000B959FA88',
  idNo: '350203196804122036',
  userName: '陈建国',
  insuOrg: '350200',
};
const WECHAT_CODE = '134567890123456789';
const ALIPAY_CODE = '284567890123456789';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function rig({ stepTimeoutMs = 3000, patient = {} as PatientScript } = {}) {
  const cable = await createPtyPair();
  cleanups.push(() => cable.close());
  const terminal = new FaceTerminalEmulator(cable.devicePath);
  cleanups.push(() => terminal.close());
  terminal.scriptPatient(patient);
  const devices = new DeviceManager({
    devices: [{ id: 'face-1', role: 'face-terminal', model: 'face-jsonl-115200', path: cable.stationPath }],
    transports: { serial: createSerialPortTransport() },
  });
  cleanups.push(() => devices.dispose());
  const log = new DeviceLog(() => new Date());
  const activity = devices.onActivity((a) => log.command(a.deviceId, a.ok, a.summary));
  const statuses = new EventLog<DeviceStatusView>(devices.onStatus);
  cleanups.push(
    () => activity.dispose(),
    () => statuses.dispose(),
  );
  devices.start();
  await statuses.waitFor((s) => s.state === 'connected' && s.detail.startsWith('已连接'), { after: 0, what: 'terminal ready' });

  const port = new FakeOutpatient();
  const runner = new SelfServiceRunner({ devices, port, institutionCode: INSTITUTION, stepTimeoutMs });
  cleanups.push(() => runner.dispose());
  const reports = new EventLog<SelfServiceReport>(runner.onFinished);
  cleanups.push(() => reports.dispose());
  runner.start();

  /** A patient steps up to the terminal and starts; resolves with the session's report. */
  const session = async (sessionId: string, { timeoutMs = 10_000 } = {}) => {
    terminal.nextVerification({ identity: IDENTITY });
    const mark = reports.mark();
    await terminal.startSelfService(sessionId);
    const report = (await reports.waitFor((r) => r.sessionId === sessionId, { after: mark, timeoutMs, what: `end of ${sessionId}` })).value;
    await reachedEnd(sessionId);
    return report;
  };
  /** The station has written everything when the report comes; wait until the terminal has read it all. */
  const reachedEnd = (sessionId: string) => expect.poll(() => terminal.sessionFrames(sessionId).at(-1)?.type).toBe('session.end');
  /** The screens the patient saw, as [screen, title] pairs. */
  const seen = (sessionId: string) => terminal.screens(sessionId).map((s) => [s.screen, s.title]);
  const lastFrame = (sessionId: string) => terminal.sessionFrames(sessionId).at(-1);
  return { cable, terminal, devices, log, port, runner, reports, session, seen, lastFrame, reachedEnd };
}

const suite = isSocatAvailable() ? 'self-service at the face terminal over real ptys' : `self-service — skipped: ${SOCAT_MISSING_REASON}`;

describe.skipIf(missing('socat'))(suite, () => {
  it('a fully covered order: verify, identify, confirm the order and the split, settle — no payment code asked', async () => {
    const r = await rig();
    r.port.addOrder(openOrder('o1', 12_000), split(12_000, { accountFen: 2000 }));
    const report = await r.session('S-FULL');

    expect(report).toMatchObject({ outcome: 'completed', orders: [{ orderId: 'o1', state: 'completed' }] });
    expect(r.port.methods()).toEqual(['identifyByFace', 'listOrders', 'preSettle:o1', 'settle:o1']);
    expect(r.port.calls.every((c) => c.operatorId === SELF_SERVICE_OPERATOR.id)).toBe(true);
    expect(r.port.identities).toEqual([IDENTITY]);
    const verify = r.terminal.requests.find((q) => q.type === 'verify');
    expect(verify?.outBizNo).toMatch(new RegExp(`^${INSTITUTION}\\d{8}\\d{9}$`));

    expect(r.seen('S-FULL')).toEqual([
      ['orders', SELF_SERVICE_TEXT.ordersTitle],
      ['paying', SELF_SERVICE_TEXT.preSettling.title],
      ['split', SELF_SERVICE_TEXT.splitTitle(1, 1)],
      ['paying', SELF_SERVICE_TEXT.settling.title],
      ['result', SELF_SERVICE_TEXT.doneTitle],
    ]);
    const [orders, , splitScreen, , result] = r.terminal.screens('S-FULL');
    expect(orders).toMatchObject({ lines: [{ label: '内科 林医生（1 项）', amountFen: 12_000 }], totalFen: 12_000 });
    expect(orders!.message).toContain('陈**'); // the name, masked, on a screen in a public hall
    expect(splitScreen).toMatchObject({
      lines: [
        { label: '统筹基金支付', amountFen: 10_000 },
        { label: '个人账户支付', amountFen: 2000 },
        { label: '个人现金支付', amountFen: 0 },
      ],
      totalFen: 12_000,
      cashFen: 0,
      message: SELF_SERVICE_TEXT.splitWithoutCash,
    });
    expect(result).toMatchObject({
      lines: [
        { label: '医保基金支付', amountFen: 10_000 },
        { label: '个人账户支付', amountFen: 2000 },
        { label: '现金已支付', amountFen: 0 },
      ],
      totalFen: 12_000,
      cashFen: 0,
      message: SELF_SERVICE_TEXT.doneMessage('西药房 3 号窗口'),
    });
    expect(r.terminal.sessionFrames('S-FULL').some((f) => f.type === 'session.paycode')).toBe(false);
    expect(r.lastFrame('S-FULL')).toMatchObject({ type: 'session.end', reason: 'completed' });

    // Every frame sent shows in the IT panel's traffic as a 'command', amounts without names.
    const frames = r.log.recent('face-1', 50);
    expect(frames.filter((f) => f.kind === 'command').map((f) => f.summary)).toEqual(
      expect.arrayContaining([
        '成功：自助会话 S-FULL 显示「待缴费用」（待缴费用，合计 ¥120.00）',
        '成功：自助会话 S-FULL 显示「医保结算明细」（结算明细，合计 ¥120.00，现金 ¥0.00）',
        '成功：自助会话 S-FULL 结束（完成）',
      ]),
    );
    expect(frames.some((f) => f.summary.includes(IDENTITY.userName) || f.summary.includes(IDENTITY.idNo))).toBe(false);
    expect(r.runner.active()).toEqual([]);
  });

  it('two orders, the second with a cash share paid by the code the terminal read', async () => {
    const r = await rig({ patient: { payCodes: [{ code: WECHAT_CODE }] } });
    r.port.addOrder(openOrder('o1', 5000, '皮肤科'), split(5000, { accountFen: 5000 }));
    r.port.addOrder(openOrder('o2', 20_000), split(20_000, { accountFen: 3000, cashFen: 7655, otherFundFen: 345 }));
    const report = await r.session('S-CASH');

    expect(report.outcome).toBe('completed');
    expect(r.port.methods()).toEqual([
      'identifyByFace',
      'listOrders',
      'preSettle:o1',
      'settle:o1',
      'preSettle:o2',
      'settle:o2',
      'payByCode:o2',
    ]);
    expect(r.port.calls.at(-1)?.authCode).toBe(WECHAT_CODE);
    expect(r.port.state('o1')).toBe('completed');
    expect(r.port.state('o2')).toBe('completed');

    const screens = r.terminal.screens('S-CASH');
    expect(screens[0]).toMatchObject({ screen: 'orders', lines: [{ amountFen: 5000 }, { amountFen: 20_000 }], totalFen: 25_000 });
    const secondSplit = screens.find((s) => s.title === SELF_SERVICE_TEXT.splitTitle(2, 2));
    expect(secondSplit).toMatchObject({
      lines: [
        { label: '统筹基金支付', amountFen: 9000 },
        { label: '其他医保基金支付', amountFen: 345 },
        { label: '个人账户支付', amountFen: 3000 },
        { label: '个人现金支付', amountFen: 7655 },
      ],
      totalFen: 20_000,
      cashFen: 7655,
      message: SELF_SERVICE_TEXT.splitWithCash,
    });
    const asked = r.terminal.sessionFrames('S-CASH').filter((f) => f.type === 'session.paycode');
    expect(asked).toEqual([expect.objectContaining({ amountFen: 7655, message: SELF_SERVICE_TEXT.payCode })]);
    expect(screens.at(-1)).toMatchObject({
      screen: 'result',
      title: SELF_SERVICE_TEXT.doneTitle,
      lines: [
        { label: '医保基金支付', amountFen: 9345 },
        { label: '个人账户支付', amountFen: 8000 },
        { label: '现金已支付', amountFen: 7655 },
      ],
      totalFen: 25_000,
      cashFen: 7655,
    });
    expect(r.log.recent('face-1', 50).map((f) => f.summary)).toContain('成功：自助会话 S-CASH 请患者出示付款码（¥76.55）');
  });

  it('the patient cancels at the split: nothing settled, nothing to undo', async () => {
    const r = await rig({ patient: { screens: ['confirm', 'cancel'] } });
    r.port.addOrder(openOrder('o1', 20_000), split(20_000, { cashFen: 5000 }));
    const report = await r.session('S-CANCEL');

    expect(report).toMatchObject({ outcome: 'cancelled', orders: [{ orderId: 'o1', state: 'previewed' }] });
    expect(r.port.methods()).toEqual(['identifyByFace', 'listOrders', 'preSettle:o1']);
    expect(r.terminal.screens('S-CANCEL').at(-1)).toMatchObject({
      screen: 'result',
      title: SELF_SERVICE_TEXT.cancelledTitle,
      message: SELF_SERVICE_TEXT.cancelledBeforeSettle,
    });
    expect(r.lastFrame('S-CANCEL')).toMatchObject({ type: 'session.end', reason: 'cancelled' });
  });

  it('nobody answers the orders screen: the step times out, nothing is pre-settled', async () => {
    const r = await rig({ stepTimeoutMs: 400, patient: { screens: ['silent'] } });
    r.port.addOrder(openOrder('o1', 20_000), split(20_000, { cashFen: 5000 }));
    const started = performance.now();
    const report = await r.session('S-IDLE');

    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
    expect(report.outcome).toBe('timeout');
    expect(r.port.methods()).toEqual(['identifyByFace', 'listOrders']);
    expect(r.terminal.screens('S-IDLE').at(-1)).toMatchObject({ title: SELF_SERVICE_TEXT.timedOutTitle });
    expect(r.lastFrame('S-IDLE')).toMatchObject({ type: 'session.end', reason: 'timeout' });
  });

  it('the patient walks away when asked for the payment code: the settlement is cancelled', async () => {
    const r = await rig({ patient: { payCodes: [{ walkAway: true }] } });
    r.port.addOrder(openOrder('o1', 20_000), split(20_000, { cashFen: 5000 }));
    const report = await r.session('S-GONE');

    expect(report).toMatchObject({ outcome: 'cancelled', orders: [{ orderId: 'o1', state: 'open' }] });
    expect(r.port.methods()).toEqual(['identifyByFace', 'listOrders', 'preSettle:o1', 'settle:o1', 'cancelSettlement:o1']);
    expect(r.terminal.screens('S-GONE').at(-1)).toMatchObject({ message: SELF_SERVICE_TEXT.cancelledAfterSettle });
    expect(r.lastFrame('S-GONE')).toMatchObject({ type: 'session.end', reason: 'cancelled' });
  });

  it('no payment code within the step: the settlement is cancelled on the station’s own deadline', async () => {
    const r = await rig({ stepTimeoutMs: 400, patient: { payCodes: [{ silent: true }] } });
    r.port.addOrder(openOrder('o1', 20_000), split(20_000, { cashFen: 5000 }));
    const report = await r.session('S-NOCODE');

    expect(report.outcome).toBe('timeout');
    expect(r.port.methods().slice(-2)).toEqual(['settle:o1', 'cancelSettlement:o1']);
    expect(r.port.state('o1')).toBe('open');
    expect(r.lastFrame('S-NOCODE')).toMatchObject({ type: 'session.end', reason: 'timeout' });
  });

  it('a payment fails, the patient retries with another code and it goes through', async () => {
    const r = await rig({ patient: { payCodes: [{ code: WECHAT_CODE }, { code: ALIPAY_CODE }] } });
    r.port.payOutcomes = ['declined', 'paid'];
    r.port.addOrder(openOrder('o1', 20_000), split(20_000, { cashFen: 5000 }));
    const report = await r.session('S-RETRY');

    expect(report.outcome).toBe('completed');
    expect(r.port.calls.filter((c) => c.method === 'payByCode').map((c) => c.authCode)).toEqual([WECHAT_CODE, ALIPAY_CODE]);
    expect(r.port.methods()).not.toContain('cancelSettlement:o1');
    const asked = r.terminal.sessionFrames('S-RETRY').filter((f) => f.type === 'session.paycode');
    expect(asked.map((f) => f.message)).toEqual([SELF_SERVICE_TEXT.payCode, expect.stringContaining('余额不足')]);
  });

  it('a payment fails twice: the settlement is cancelled and the patient is told why', async () => {
    const r = await rig({ patient: { payCodes: [{ code: WECHAT_CODE }, { code: ALIPAY_CODE }, { code: WECHAT_CODE }] } });
    r.port.payOutcomes = ['declined', 'declined'];
    r.port.addOrder(openOrder('o1', 20_000), split(20_000, { cashFen: 5000 }));
    const report = await r.session('S-DECLINED');

    expect(report).toMatchObject({ outcome: 'failed', orders: [{ orderId: 'o1', state: 'open' }] });
    expect(r.port.methods()).toEqual([
      'identifyByFace',
      'listOrders',
      'preSettle:o1',
      'settle:o1',
      'payByCode:o1',
      'payByCode:o1',
      'cancelSettlement:o1',
    ]);
    expect(r.terminal.sessionFrames('S-DECLINED').filter((f) => f.type === 'session.paycode')).toHaveLength(2);
    const last = r.terminal.screens('S-DECLINED').at(-1);
    expect(last).toMatchObject({ screen: 'error', title: SELF_SERVICE_TEXT.paymentFailedTitle });
    expect(last?.message).toContain('余额不足');
    expect(last?.message).toContain('医保结算已撤销');
    expect(r.lastFrame('S-DECLINED')).toMatchObject({ type: 'session.end', reason: 'failed' });
  });

  it('a failed payment the core already undid (order open again): told so, no retry, no second cancellation', async () => {
    const r = await rig({ patient: { payCodes: [{ code: WECHAT_CODE }, { code: ALIPAY_CODE }] } });
    r.port.payOutcomes = ['declined-unwound'];
    r.port.addOrder(openOrder('o1', 20_000), split(20_000, { cashFen: 5000 }));
    const report = await r.session('S-UNWOUND');

    expect(report).toMatchObject({ outcome: 'failed', orders: [{ orderId: 'o1', state: 'open' }] });
    expect(r.port.methods().slice(-2)).toEqual(['settle:o1', 'payByCode:o1']);
    expect(r.terminal.screens('S-UNWOUND').at(-1)).toMatchObject({
      screen: 'error',
      title: SELF_SERVICE_TEXT.paymentFailedTitle,
      message: SELF_SERVICE_TEXT.paymentFailed('付款失败：余额不足；医保结算已撤销'),
    });
  });

  it('the settlement’s outcome is unknown: a clear message, the session ends, nothing is undone on a guess', async () => {
    const r = await rig();
    r.port.throwOn.set('settle', new StationError('OUTCOME_UNKNOWN', '医保交易结果未知 — 正在自动核实，请稍候'));
    r.port.addOrder(openOrder('o1', 20_000), split(20_000, { cashFen: 5000 }));
    const report = await r.session('S-UNKNOWN');

    expect(report.outcome).toBe('unknown');
    expect(r.port.methods()).toEqual(['identifyByFace', 'listOrders', 'preSettle:o1', 'settle:o1']);
    expect(r.terminal.screens('S-UNKNOWN').at(-1)).toMatchObject({ screen: 'error', ...SELF_SERVICE_TEXT.unknown });
    expect(SELF_SERVICE_TEXT.unknown.message).toBe('结果确认中，请到人工窗口');
    expect(r.lastFrame('S-UNKNOWN')).toMatchObject({ type: 'session.end', reason: 'failed' });
  });

  it('a payment in doubt is left to the outbox: no cancellation, the patient goes to the window', async () => {
    const r = await rig({ patient: { payCodes: [{ code: WECHAT_CODE }] } });
    r.port.payOutcomes = ['in-doubt'];
    r.port.addOrder(openOrder('o1', 20_000), split(20_000, { cashFen: 5000 }));
    const report = await r.session('S-DOUBT');

    expect(report).toMatchObject({ outcome: 'unknown', orders: [{ orderId: 'o1', state: 'in-doubt' }] });
    expect(r.port.methods().at(-1)).toBe('payByCode:o1');
    expect(r.terminal.screens('S-DOUBT').at(-1)).toMatchObject(SELF_SERVICE_TEXT.unknown);
  });

  it('a second start while a session runs: "终端忙" for the newcomer, the running session goes on', async () => {
    const r = await rig({ stepTimeoutMs: 1500, patient: { screens: ['silent'] } });
    r.port.addOrder(openOrder('o1', 20_000), split(20_000, { cashFen: 5000 }));
    r.terminal.nextVerification({ identity: IDENTITY });
    const first = r.reports.waitFor((rep) => rep.sessionId === 'S-FIRST', { after: 0, timeoutMs: 5000 });
    await r.terminal.startSelfService('S-FIRST');
    await expect.poll(() => r.runner.active()).toEqual([{ deviceId: 'face-1', sessionId: 'S-FIRST', phase: 'confirming-orders' }]);

    const busy = r.reports.waitFor((rep) => rep.sessionId === 'S-SECOND', { after: 0, what: 'busy answer' });
    await r.terminal.startSelfService('S-SECOND');
    expect((await busy).value).toMatchObject({ outcome: 'busy', orders: [] });
    await expect
      .poll(() => r.terminal.sessionFrames('S-SECOND'))
      .toEqual([
        expect.objectContaining({ type: 'session.show', screen: 'error', title: '终端忙', message: SELF_SERVICE_TEXT.busy.message }),
        expect.objectContaining({ type: 'session.end', reason: 'busy' }),
      ]);
    // A repeated start of the running session changes nothing.
    await r.terminal.startSelfService('S-FIRST');
    expect(r.runner.active()).toHaveLength(1);
    expect(r.terminal.requests.filter((q) => q.type === 'verify')).toHaveLength(1);

    expect((await first).value.outcome).toBe('timeout');
    await r.reachedEnd('S-FIRST');
    expect(r.port.methods()).toEqual(['identifyByFace', 'listOrders']);
    expect(r.terminal.sessionFrames('S-FIRST').filter((f) => f.type === 'session.end')).toHaveLength(1);
  });

  it('the station stops while the patient is asked to pay: the settlement is cancelled before dispose resolves', async () => {
    const r = await rig({ stepTimeoutMs: 30_000, patient: { payCodes: [{ silent: true }] } });
    r.port.addOrder(openOrder('o1', 20_000), split(20_000, { cashFen: 5000 }));
    r.terminal.nextVerification({ identity: IDENTITY });
    await r.terminal.startSelfService('S-STOP');
    await expect.poll(() => r.runner.active()[0]?.phase).toBe('awaiting-paycode');
    await r.runner.dispose();
    expect(r.port.methods().slice(-2)).toEqual(['settle:o1', 'cancelSettlement:o1']);
    expect(r.port.state('o1')).toBe('open');
    expect(r.runner.active()).toEqual([]);
    await r.reachedEnd('S-STOP');
  });

  it('a command the protocol forbids is not sent and shows as a failed command frame', async () => {
    const r = await rig();
    const refused = await r.devices
      .faceSession('face-1', { type: 'session.show', sessionId: 'S-BAD', screen: { screen: 'orders', title: '待缴费用', totalFen: 10.5 } })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'device-error' });
    expect(r.log.recent('face-1', 1)[0]).toMatchObject({
      kind: 'command',
      summary: '失败：自助会话 S-BAD 显示「待缴费用」（待缴费用，合计 金额无效）：自助会话指令无效（屏幕内容不符合协议），未发送',
    });
    expect(r.terminal.sessionFrames()).toEqual([]);
  });

  it('nothing to pay, and a face the terminal refuses: each told on the terminal', async () => {
    const r = await rig();
    expect((await r.session('S-NONE')).outcome).toBe('no-orders');
    expect(r.seen('S-NONE')).toEqual([['result', SELF_SERVICE_TEXT.noOrders.title]]);

    r.terminal.nextVerification({ refuse: 'liveness-failed' });
    const mark = r.reports.mark();
    await r.terminal.startSelfService('S-FACE');
    const refused = (await r.reports.waitFor((rep) => rep.sessionId === 'S-FACE', { after: mark })).value;
    await r.reachedEnd('S-FACE');
    expect(refused.outcome).toBe('failed');
    expect(r.terminal.screens('S-FACE')).toEqual([
      expect.objectContaining({ screen: 'error', title: SELF_SERVICE_TEXT.verifyFailed, message: '活体检测未通过，请患者正对摄像头重试' }),
    ]);
    expect(r.port.methods()).toEqual(['identifyByFace', 'listOrders']); // only the first session's
  });
});
