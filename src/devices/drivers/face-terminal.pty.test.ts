/**
 * The face terminal over real ptys with the terminal emulator on the far end: verifications, refusals,
 * timeouts with cancel, self-service starts, garbage, and unplug/replug.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatusView } from '../../shared/domain';
import { FaceTerminalEmulator, type EmulatedIdentity } from '../../simulators/devices/face-terminal-emulator';
import { createPtyPair, isSocatAvailable, SOCAT_MISSING_REASON } from '../../simulators/devices/pty-pair';
import { DEVICE_MODELS, type SerialFaceTerminalModel } from '../models';
import type { SelfServiceStart } from '../parsers/face-messages';
import { EventLog } from '../testing/event-log';
import { createSerialPortTransport } from '../transports/serial-transport';
import type { DeviceWarning } from './device-driver';
import { FACE_TERMINAL_TEXT, SerialFaceTerminal } from './face-terminal';
import { SERIAL_LINK_TEXT } from './serial-link';
import { missing } from '../../../test/harness/prerequisites';

const MODEL: SerialFaceTerminalModel = { ...DEVICE_MODELS['face-jsonl-115200'], verifyTimeoutMs: 800, pingTimeoutMs: 600 };
const OUT_BIZ_NO = 'H35020300001202603020000001';
const IDENTITY: EmulatedIdentity = {
  authNo: 'AUTH20260302000001',
  ecToken: 'ADBHJRS5I01E0F3438C00000B959FA88',
  idNo: '350203196804122036',
  userName: '陈建国',
  insuOrg: '350200',
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function rig() {
  const cable = await createPtyPair();
  cleanups.push(() => cable.close());
  const emulator = new FaceTerminalEmulator(cable.devicePath, { model: 'SIM-FACE-T1', firmware: '2.0.1' });
  cleanups.push(() => emulator.close());
  const terminal = new SerialFaceTerminal({ id: 'face1', model: MODEL, path: cable.stationPath, transport: createSerialPortTransport() });
  cleanups.push(() => terminal.dispose());
  const statuses = new EventLog<DeviceStatusView>(terminal.onStatus);
  const warnings = new EventLog<DeviceWarning>(terminal.onWarning);
  const selfService = new EventLog<SelfServiceStart>(terminal.onSelfService);
  cleanups.push(
    () => statuses.dispose(),
    () => warnings.dispose(),
    () => selfService.dispose(),
  );
  const ready = FACE_TERMINAL_TEXT.ready({ model: 'SIM-FACE-T1', firmware: '2.0.1', serial: 'SIMFACE0001' });
  const pinged = statuses.waitFor((s) => s.detail === ready, { what: 'ping answer' });
  terminal.start();
  await pinged;
  return { cable, emulator, terminal, statuses, warnings, selfService, ready };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

const suite = isSocatAvailable() ? 'SerialFaceTerminal over real ptys' : `SerialFaceTerminal over ptys — skipped: ${SOCAT_MISSING_REASON}`;

describe.skipIf(missing('socat'))(suite, () => {
  it('verifies the patient for an outBizNo and returns the e-voucher identity', async () => {
    const r = await rig();
    r.emulator.nextVerification({ identity: IDENTITY });
    expect(await r.terminal.verify({ outBizNo: OUT_BIZ_NO })).toEqual(IDENTITY);
    expect(r.emulator.requests.at(-1)).toMatchObject({ type: 'verify', outBizNo: OUT_BIZ_NO, timeoutS: 1 });
  });

  it('turns refusals into typed errors with the terminal’s message', async () => {
    const r = await rig();
    r.emulator.nextVerification({ refuse: 'refused', message: '人脸比对不一致' });
    expect(await failure(r.terminal.verify({ outBizNo: OUT_BIZ_NO }))).toMatchObject({ code: 'refused', message: '人脸比对不一致' });
    r.emulator.nextVerification({ refuse: 'liveness-failed' });
    expect(await failure(r.terminal.verify({ outBizNo: OUT_BIZ_NO }))).toMatchObject({
      code: 'refused',
      message: FACE_TERMINAL_TEXT.refusals['liveness-failed'],
    });
    r.emulator.nextVerification({ refuse: 'busy' });
    expect(await failure(r.terminal.verify({ outBizNo: OUT_BIZ_NO }))).toMatchObject({ code: 'busy' });
  });

  it('gives up a verification nobody completes, cancels it at the terminal, and ignores a late answer', async () => {
    const r = await rig();
    r.emulator.nextVerification({ hang: true });
    expect(await failure(r.terminal.verify({ outBizNo: OUT_BIZ_NO }))).toMatchObject({ code: 'timeout' });
    await expect.poll(() => r.emulator.requests.at(-1)).toMatchObject({ type: 'cancel' });
    const verifySeq = r.emulator.requests.at(-2)?.seq;
    expect(r.emulator.requests.at(-1)?.seq).toBe(verifySeq);
    expect(r.terminal.statusView().state).toBe('connected'); // a patient who walked away is no device fault

    const mark = r.warnings.mark();
    await r.emulator.sendRaw(`${JSON.stringify({ type: 'verify.result', seq: verifySeq, ok: true, ...IDENTITY })}\n`);
    await r.warnings.waitFor((w) => w.message === FACE_TERMINAL_TEXT.unsolicited, { after: mark });
    r.emulator.nextVerification({ refuse: 'cancelled' });
    expect(await failure(r.terminal.verify({ outBizNo: OUT_BIZ_NO }))).toMatchObject({ code: 'refused' });
  });

  it('passes on a self-service start the patient made at the terminal', async () => {
    const r = await rig();
    await r.emulator.startSelfService('S20260302-0001');
    const start = await r.selfService.waitFor(() => true, { after: 0 });
    expect(start.value).toEqual({ sessionId: 'S20260302-0001' });
  });

  it('half an identity, bad JSON and noise: a warning each, never an identity', async () => {
    const r = await rig();
    const { ecToken: _dropped, ...halfIdentity } = IDENTITY;
    const mark = r.warnings.mark();
    r.emulator.nextVerification({ raw: (seq) => JSON.stringify({ type: 'verify.result', seq, ok: true, ...halfIdentity }) });
    const verifying = failure(r.terminal.verify({ outBizNo: OUT_BIZ_NO }));
    await r.emulator.sendRaw('{"type":"pong",\n');
    await r.emulator.sendRaw(Uint8Array.of(0x00, 0x1b, 0x0a));
    expect(await verifying).toMatchObject({ code: 'timeout' });
    expect(
      r.warnings.values
        .slice(mark)
        .map((w) => w.message)
        .sort(),
    ).toEqual(
      [
        FACE_TERMINAL_TEXT.invalid('不符合协议'),
        FACE_TERMINAL_TEXT.invalid('不是 JSON'),
        FACE_TERMINAL_TEXT.dropped['control-byte'],
      ].sort(),
    );
  });

  it('unplug → disconnected within 1 s and a running verification fails; replug → connected within 2 s', async () => {
    const r = await rig();
    r.emulator.nextVerification({ hang: true });
    const verifying = failure(r.terminal.verify({ outBizNo: OUT_BIZ_NO }));
    await expect.poll(() => r.emulator.requests.at(-1)?.type).toBe('verify');

    const beforeUnplug = r.statuses.mark();
    await r.cable.unplug();
    const down = await r.statuses.waitFor((s) => s.state === 'disconnected', { after: beforeUnplug, timeoutMs: 10_000 });
    expect(down.value.detail).toBe(SERIAL_LINK_TEXT.lost);
    expect(await verifying).toMatchObject({ code: 'offline' });

    const beforeReplug = r.statuses.mark();
    await r.cable.replug();
    await r.statuses.waitFor((s) => s.state === 'connected', { after: beforeReplug, timeoutMs: 10_000 });
    await r.statuses.waitFor((s) => s.detail === r.ready, { after: beforeReplug });
    r.emulator.nextVerification({ identity: IDENTITY });
    expect(await r.terminal.verify({ outBizNo: OUT_BIZ_NO })).toEqual(IDENTITY);
    await r.emulator.startSelfService('S-AFTER-REPLUG');
    await r.selfService.waitFor((s) => s.sessionId === 'S-AFTER-REPLUG', { after: 0 });
    expect(r.selfService.values.length).toBe(1);
  });
});
