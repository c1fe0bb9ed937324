/**
 * Self-service session frames (HX-T1) over real ptys with the terminal emulator on the far end: the driver
 * writes session.show / session.paycode / session.end, the scripted patient confirms, cancels, presents a
 * payment code; the driver passes the answers on as session events and refuses what the protocol forbids.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FaceTerminalEmulator, type EmulatedIdentity } from '../../simulators/devices/face-terminal-emulator';
import { createPtyPair, isSocatAvailable, SOCAT_MISSING_REASON } from '../../simulators/devices/pty-pair';
import { DEVICE_MODELS, type SerialFaceTerminalModel } from '../models';
import type { FaceSessionEvent } from '../parsers/face-messages';
import { EventLog } from '../testing/event-log';
import { createSerialPortTransport } from '../transports/serial-transport';
import type { DeviceWarning } from './device-driver';
import { FACE_TERMINAL_TEXT, SerialFaceTerminal } from './face-terminal';
import { missing } from '../../../test/harness/prerequisites';

const MODEL: SerialFaceTerminalModel = { ...DEVICE_MODELS['face-jsonl-115200'], verifyTimeoutMs: 3000, pingTimeoutMs: 600 };
const IDENTITY: EmulatedIdentity = {
  authNo: 'AUTH20260302000001',
  ecToken: 'ADBHJRS5I01E0F3438C00000B959FA88',
  idNo: '350203196804122036',
  userName: '陈建国',
  insuOrg: '350200',
};
const PAY_CODE = '134567890123456789';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function rig() {
  const cable = await createPtyPair();
  cleanups.push(() => cable.close());
  const emulator = new FaceTerminalEmulator(cable.devicePath);
  cleanups.push(() => emulator.close());
  const terminal = new SerialFaceTerminal({ id: 'face1', model: MODEL, path: cable.stationPath, transport: createSerialPortTransport() });
  cleanups.push(() => terminal.dispose());
  const events = new EventLog<FaceSessionEvent>(terminal.onSessionEvent);
  const warnings = new EventLog<DeviceWarning>(terminal.onWarning);
  const statuses = new EventLog(terminal.onStatus);
  cleanups.push(
    () => events.dispose(),
    () => warnings.dispose(),
    () => statuses.dispose(),
  );
  const pinged = statuses.waitFor((s) => s.state === 'connected' && s.detail.startsWith('已连接'), { what: 'ping answer' });
  terminal.start();
  await pinged;
  return { cable, emulator, terminal, events, warnings };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

const suite = isSocatAvailable()
  ? 'SerialFaceTerminal session frames over real ptys'
  : `face terminal sessions — skipped: ${SOCAT_MISSING_REASON}`;

describe.skipIf(missing('socat'))(suite, () => {
  it('shows a screen that waits for the patient and passes on their 确认 for that seq', async () => {
    const r = await rig();
    const seq = await r.terminal.sendSession({
      type: 'session.show',
      sessionId: 'S-1',
      screen: {
        screen: 'split',
        title: '医保结算明细',
        lines: [{ label: '统筹基金支付', amountFen: 12_345 }],
        totalFen: 20_000,
        cashFen: 7655,
      },
    });
    const confirm = await r.events.waitFor((e) => e.type === 'session.confirm', { after: 0 });
    expect(confirm.value).toEqual({ type: 'session.confirm', sessionId: 'S-1', seq });
    expect(r.emulator.screens('S-1')).toEqual([
      {
        type: 'session.show',
        seq,
        sessionId: 'S-1',
        screen: 'split',
        title: '医保结算明细',
        lines: [{ label: '统筹基金支付', amountFen: 12_345 }],
        totalFen: 20_000,
        cashFen: 7655,
      },
    ]);

    // An informational screen gets no answer; the end is written as is.
    const mark = r.events.mark();
    await r.terminal.sendSession({ type: 'session.show', sessionId: 'S-1', screen: { screen: 'result', title: '缴费完成' } });
    const endSeq = await r.terminal.sendSession({ type: 'session.end', sessionId: 'S-1', reason: 'completed' });
    await expect
      .poll(() => r.emulator.sessionFrames('S-1').at(-1))
      .toEqual({ type: 'session.end', seq: endSeq, sessionId: 'S-1', reason: 'completed' });
    expect(r.events.values.slice(mark)).toEqual([]);
  });

  it('asks for a payment code and passes on the code, then a refusal', async () => {
    const r = await rig();
    r.emulator.scriptPatient({ payCodes: [{ code: PAY_CODE }, { refuse: 'cancelled' }] });
    const first = await r.terminal.sendSession({
      type: 'session.paycode',
      sessionId: 'S-2',
      amountFen: 7655,
      timeoutS: 60,
      message: '请出示付款码',
    });
    const paid = await r.events.waitFor((e) => e.type === 'session.paycode.result', { after: 0 });
    expect(paid.value).toEqual({ type: 'session.paycode.result', sessionId: 'S-2', seq: first, ok: true, code: PAY_CODE });
    expect(r.emulator.sessionFrames('S-2')[0]).toEqual({
      type: 'session.paycode',
      seq: first,
      sessionId: 'S-2',
      amountFen: 7655,
      timeoutS: 60,
      message: '请出示付款码',
    });

    const mark = r.events.mark();
    const second = await r.terminal.sendSession({ type: 'session.paycode', sessionId: 'S-2', amountFen: 7655, timeoutS: 60 });
    const refused = await r.events.waitFor((e) => e.type === 'session.paycode.result', { after: mark });
    expect(refused.value).toEqual({ type: 'session.paycode.result', sessionId: 'S-2', seq: second, ok: false, reason: 'cancelled' });
    expect(second).toBeGreaterThan(first);
  });

  it('passes on 取消 and walking away, with the reason', async () => {
    const r = await rig();
    r.emulator.scriptPatient({ screens: ['cancel', 'walk-away'] });
    await r.terminal.sendSession({ type: 'session.show', sessionId: 'S-3', screen: { screen: 'orders', title: '待缴费用' } });
    await r.terminal.sendSession({ type: 'session.show', sessionId: 'S-3', screen: { screen: 'split', title: '结算明细' } });
    await r.events.waitFor((e) => e.type === 'session.cancel' && e.reason === 'walked-away', { after: 0 });
    expect(r.events.values).toEqual([
      { type: 'session.cancel', sessionId: 'S-3', reason: 'cancelled' },
      { type: 'session.cancel', sessionId: 'S-3', reason: 'walked-away' },
    ]);
  });

  it('writes session frames at once, beside a verification still waiting for the patient', async () => {
    const r = await rig();
    r.emulator.nextVerification({ identity: IDENTITY, afterMs: 400 });
    let verified = false;
    const verifying = r.terminal.verify({ outBizNo: 'H35020300001202603020000001' }).finally(() => (verified = true));
    await expect.poll(() => r.emulator.requests.at(-1)?.type).toBe('verify');
    await r.terminal.sendSession({ type: 'session.show', sessionId: 'S-4', screen: { screen: 'paying', title: '请稍候' } });
    await expect.poll(() => r.emulator.requests.at(-1), { timeout: 300 }).toMatchObject({ type: 'session.show', sessionId: 'S-4' });
    expect(verified).toBe(false); // the screen reached the terminal while the verification still ran
    expect(await verifying).toEqual(IDENTITY);
  });

  it('sends nothing the protocol forbids, and refuses while unplugged', async () => {
    const r = await rig();
    const before = r.emulator.requests.length;
    expect(
      await failure(
        r.terminal.sendSession({ type: 'session.show', sessionId: 'S-5', screen: { screen: 'orders', title: '待缴', totalFen: 10.5 } }),
      ),
    ).toMatchObject({ code: 'device-error', message: FACE_TERMINAL_TEXT.invalidCommand('屏幕内容不符合协议') });
    expect(await failure(r.terminal.sendSession({ type: 'session.paycode', sessionId: 'S-5', amountFen: 0, timeoutS: 60 }))).toMatchObject({
      code: 'device-error',
    });
    // A ping answered afterwards proves the line works and that nothing was written before it.
    await r.terminal.ping();
    expect(r.emulator.requests.slice(before).map((q) => q.type)).toContain('ping');
    expect(r.emulator.sessionFrames()).toEqual([]);

    await r.cable.unplug();
    await expect.poll(() => r.terminal.statusView().state).toBe('disconnected');
    expect(await failure(r.terminal.sendSession({ type: 'session.end', sessionId: 'S-5', reason: 'failed' }))).toMatchObject({
      code: 'offline',
    });
  });

  it('a malformed session answer is a warning, never an event', async () => {
    const r = await rig();
    r.emulator.scriptPatient({
      payCodes: [
        { raw: (seq, sessionId) => JSON.stringify({ type: 'session.paycode.result', sessionId, seq, ok: true, code: '1345 OR 1=1' }) },
      ],
    });
    const mark = r.warnings.mark();
    await r.terminal.sendSession({ type: 'session.paycode', sessionId: 'S-6', amountFen: 100, timeoutS: 5 });
    await r.warnings.waitFor((w) => w.message === FACE_TERMINAL_TEXT.invalid('不符合协议'), { after: mark });
    await r.emulator.sendRaw('{"type":"session.confirm","sessionId":"S-6"}\n');
    await r.warnings.waitFor((w) => w.message === FACE_TERMINAL_TEXT.invalid('不符合协议'), { after: mark + 1 });
    expect(r.events.values).toEqual([]);
  });
});
