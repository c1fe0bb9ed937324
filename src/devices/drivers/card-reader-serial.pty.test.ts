/**
 * The serial card reader over real ptys (socat) and the real `serialport` transport, with the card-reader
 * emulator answering on the far end: framing, status codes, faults, and unplug/replug.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatusView } from '../../shared/domain';
import { READER_COMMAND, READER_STATUS, SerialCardReaderEmulator } from '../../simulators/devices/card-reader-emulator';
import { encodeGbk } from '../../simulators/devices/gbk';
import { createPtyPair, isSocatAvailable, SOCAT_MISSING_REASON } from '../../simulators/devices/pty-pair';
import { TRAINING_CARDS, TRAINING_ID_CARDS } from '../../simulators/devices/training-cards';
import { DEVICE_MODELS, type SerialCardReaderModel } from '../models';
import { encodeLengthPrefixedFrame } from '../parsers/length-prefixed-parser';
import { EventLog } from '../testing/event-log';
import { createSerialPortTransport } from '../transports/serial-transport';
import { SerialCardReader, SERIAL_READER_TEXT } from './card-reader-serial';
import type { DeviceWarning } from './device-driver';
import { SERIAL_LINK_TEXT } from './serial-link';
import { missing } from '../../../test/harness/prerequisites';

/** The production model with a short read timeout, so the tests of a reader that never answers do not wait 15 s. */
const FAULT_MODEL: SerialCardReaderModel = { ...DEVICE_MODELS['serial-sscard-115200'], readTimeoutMs: 600, probeTimeoutMs: 600 };
/** For the tests that want an answer: 600 ms was missed on a machine loaded past twice its cores (CI). */
const MODEL: SerialCardReaderModel = { ...FAULT_MODEL, readTimeoutMs: 5_000, probeTimeoutMs: 5_000 };
const CARD = TRAINING_CARDS[2]!;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function rig(model = MODEL) {
  const cable = await createPtyPair();
  cleanups.push(() => cable.close());
  const emulator = new SerialCardReaderEmulator(cable.devicePath, { firmware: 'SIM-SSR100 v2.3' });
  cleanups.push(() => emulator.close());
  const reader = new SerialCardReader({ id: 'reader1', model, path: cable.stationPath, transport: createSerialPortTransport() });
  cleanups.push(() => reader.dispose());
  const statuses = new EventLog<DeviceStatusView>(reader.onStatus);
  const warnings = new EventLog<DeviceWarning>(reader.onWarning);
  cleanups.push(
    () => statuses.dispose(),
    () => warnings.dispose(),
  );
  const probed = statuses.waitFor((s) => s.detail === SERIAL_READER_TEXT.ready('SIM-SSR100 v2.3'), { what: 'probe answer' });
  reader.start();
  await probed;
  return { cable, emulator, reader, statuses, warnings };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
const states = (log: EventLog<DeviceStatusView>) =>
  log.values.map((s) => s.state).filter((state, i, all) => i === 0 || state !== all[i - 1]);

const suite = isSocatAvailable() ? 'SerialCardReader over real ptys' : `SerialCardReader over ptys — skipped: ${SOCAT_MISSING_REASON}`;

describe.skipIf(missing('socat'))(suite, () => {
  it('probes the reader on connect, then reads the card (GBK on the wire) and the ID card', async () => {
    const r = await rig();
    expect(r.reader.statusView()).toMatchObject({ state: 'connected', role: 'card-reader', path: r.cable.stationPath });
    r.emulator.insert(CARD, TRAINING_ID_CARDS[2]!);
    expect(await r.reader.readCard()).toEqual(CARD);
    expect(await r.reader.readIdCard()).toEqual(TRAINING_ID_CARDS[2]);
    expect(r.emulator.requests.map((q) => q.command)).toEqual([
      READER_COMMAND.probe,
      READER_COMMAND.readCardBas,
      READER_COMMAND.readIdCard,
    ]);
    expect(r.warnings.values).toEqual([]);
  });

  it('turns the status byte into typed errors', async () => {
    const r = await rig();
    expect(await failure(r.reader.readCard())).toMatchObject({ code: 'no-card' });
    r.emulator.injectFault({ kind: 'status', status: READER_STATUS.needsSecurityModule });
    expect(await failure(r.reader.readCard())).toMatchObject({ code: 'needs-security-module' });
    r.emulator.injectFault({ kind: 'status', status: READER_STATUS.pinCancelled });
    expect(await failure(r.reader.readCard())).toMatchObject({ code: 'refused' });
    r.emulator.injectFault({ kind: 'status', status: 0x7e });
    expect(await failure(r.reader.readCard())).toMatchObject({ code: 'device-error', message: SERIAL_READER_TEXT.unknownStatus(0x7e) });
  });

  it('garbage, bad checksums, half answers and garbled card text: a warning and an error, never a card', async () => {
    const r = await rig(FAULT_MODEL);
    r.emulator.insert(CARD);
    const faults = [
      {
        fault: { kind: 'garbage', bytes: Uint8Array.of(0xff, 0x00, 0x55, 0x0d) },
        code: 'timeout',
        warning: SERIAL_READER_TEXT.dropped.noise,
      },
      { fault: { kind: 'corrupt-checksum' }, code: 'timeout', warning: SERIAL_READER_TEXT.dropped['bad-checksum'] },
      { fault: { kind: 'partial' }, code: 'timeout', warning: SERIAL_READER_TEXT.dropped['idle-timeout'] },
      {
        fault: { kind: 'raw-answer', text: encodeGbk('350200|张三|') },
        code: 'garbled',
        warning: SERIAL_READER_TEXT.garbled('字段数为 2，应为 11'),
      },
    ] as const;
    for (const { fault, code, warning } of faults) {
      const mark = r.warnings.mark();
      r.emulator.injectFault(fault);
      expect(await failure(r.reader.readCard()), fault.kind).toMatchObject({ code });
      await r.warnings.waitFor((w) => w.message === warning, { after: mark, what: warning });
    }
    expect(await r.reader.readCard()).toEqual(CARD); // and it still works
    expect(r.reader.statusView().state).toBe('connected');
  });

  it('a silent reader: timeout and an error status, until it answers again', async () => {
    const r = await rig(FAULT_MODEL);
    r.emulator.insert(CARD);
    r.emulator.injectFault({ kind: 'silent' });
    expect(await failure(r.reader.readCard())).toMatchObject({ code: 'timeout' });
    expect(r.reader.statusView()).toMatchObject({ state: 'error', detail: SERIAL_READER_TEXT.noAnswer });
    expect(await r.reader.readCard()).toEqual(CARD);
    expect(r.reader.statusView().state).toBe('connected');
  });

  it('reports and drops an answer nobody asked for', async () => {
    const r = await rig();
    const mark = r.warnings.mark();
    await r.emulator.sendRaw(encodeLengthPrefixedFrame(MODEL.frame, Uint8Array.of(READER_COMMAND.readCardBas, 0x00, 0x41)));
    await r.warnings.waitFor((w) => w.message === SERIAL_READER_TEXT.unsolicited, { after: mark });
  });

  it('unplug → disconnected within 1 s; replug → connected within 2 s; each read answered exactly once', async () => {
    const r = await rig();
    r.emulator.insert(CARD);
    expect(await r.reader.readCard()).toEqual(CARD);

    const beforeUnplug = r.statuses.mark();
    await r.cable.unplug();
    const down = await r.statuses.waitFor((s) => s.state === 'disconnected', { after: beforeUnplug, timeoutMs: 10_000 });
    expect(down.value.detail).toBe(SERIAL_LINK_TEXT.lost);
    expect(await failure(r.reader.readCard())).toMatchObject({ code: 'offline' });

    const beforeReplug = r.statuses.mark();
    await r.cable.replug();
    await r.statuses.waitFor((s) => s.state === 'connected', { after: beforeReplug, timeoutMs: 10_000 });
    await r.statuses.waitFor((s) => s.detail === SERIAL_READER_TEXT.ready('SIM-SSR100 v2.3'), { after: beforeReplug });

    expect(await r.reader.readCard()).toEqual(CARD);
    expect(await r.reader.readCard()).toEqual(CARD);
    const reads = r.emulator.requests.filter((q) => q.command === READER_COMMAND.readCardBas);
    expect(reads.length).toBe(3); // the read refused while unplugged never reached the reader
    expect(states(r.statuses)).toEqual(['connecting', 'connected', 'disconnected', 'connected']);
  });

  it('reads through power-up noise right after connecting', async () => {
    const r = await rig();
    r.emulator.insert(CARD);
    const mark = r.warnings.mark();
    await r.emulator.sendRaw(Uint8Array.of(0x00, 0xf0, 0x0f, 0xaa));
    expect(await r.reader.readCard()).toEqual(CARD);
    await r.warnings.waitFor((w) => w.message === SERIAL_READER_TEXT.dropped.noise, { after: mark });
  });
});
