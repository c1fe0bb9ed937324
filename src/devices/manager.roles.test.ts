/**
 * DeviceManager with every role and transport, over the in-memory transports on fake timers: configuration,
 * role-based lookup, the commands the station calls, test reads and the merged event streams.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HidPosScannerEmulator } from '../simulators/devices/hid-scanner-emulator';
import { encodeGbk } from '../simulators/devices/gbk';
import { formatCardBas, TRAINING_CARDS } from '../simulators/devices/training-cards';
import { DeviceManager, type DeviceActivity, type DeviceScan, type DeviceSelfService } from './manager';
import { DeviceConfigListSchema, type DeviceConfig } from './models';
import { FakeCardLibraryLoader } from './transports/fake-card-library';
import { FakeHidTransport } from './transports/fake-hid-transport';
import { FakeSerialTransport, type FakeSerialPort } from './transports/fake-serial-transport';

const LIBRARY = '/opt/vendor/libsscard.so';
const CARD = TRAINING_CARDS[0]!;
const IDENTITY = {
  authNo: 'AUTH0001',
  ecToken: 'ADBHJRS5I01E0F3438C00000B959FA88',
  idNo: '350203196804122036',
  userName: '陈建国',
  insuOrg: '350200',
};

const DEVICES: DeviceConfig[] = [
  { id: 'qr-serial', role: 'qr-scanner', model: 'cdc-9600-cr', path: '/dev/ttyACM0' },
  { id: 'qr-hid', role: 'qr-scanner', model: 'hidpos-honeywell-1400g' },
  { id: 'reader', role: 'card-reader', model: 'sscard-unified', library: LIBRARY },
  { id: 'face', role: 'face-terminal', model: 'face-jsonl-115200', path: '/dev/ttyACM1' },
];

/** Answers the face terminal's requests the way the terminal would. */
function faceTerminal(port: FakeSerialPort) {
  let answered = 0;
  const pending = () =>
    port.written
      .slice(answered)
      .flatMap((chunk) => Buffer.from(chunk).toString('utf8').split('\n').filter(Boolean))
      .map((line) => JSON.parse(line) as { type: string; seq: number });
  return {
    /** Answers every request written since the last call: pong to pings, `verify` with `identity`. */
    answer(identity: typeof IDENTITY | null = IDENTITY) {
      const requests = pending();
      answered = port.written.length;
      for (const request of requests) {
        if (request.type === 'ping')
          port.send(`${JSON.stringify({ type: 'pong', seq: request.seq, model: 'SIM', firmware: '1.0', serial: 'SN00001234' })}\n`);
        if (request.type === 'verify' && identity)
          port.send(`${JSON.stringify({ type: 'verify.result', seq: request.seq, ok: true, ...identity })}\n`);
      }
    },
  };
}

function setup(devices: DeviceConfig[] = DEVICES) {
  const serial = new FakeSerialTransport();
  const hid = new FakeHidTransport();
  const cardLibraries = new FakeCardLibraryLoader();
  const manager = new DeviceManager({ devices, transports: { serial, hid, cardLibraries }, platform: 'linux' });
  const scans: DeviceScan[] = [];
  const selfServices: DeviceSelfService[] = [];
  const activities: DeviceActivity[] = [];
  manager.onScan((scan) => scans.push(scan));
  manager.onSelfService((start) => selfServices.push(start));
  manager.onActivity((activity) => activities.push(activity));
  return { serial, hid, cardLibraries, library: cardLibraries.library(LIBRARY), manager, scans, selfServices, activities };
}

async function plugAll(t: ReturnType<typeof setup>) {
  const scanBox = t.serial.plug('/dev/ttyACM0');
  const hidBox = t.hid.plug({ vendorId: 0x0c2e, productId: 0x0b8f, usagePage: 0x8c });
  const facePort = t.serial.plug('/dev/ttyACM1');
  const face = faceTerminal(facePort);
  t.manager.start();
  await settle();
  face.answer(); // the terminal answers the ping sent on connect
  return { scanBox, hidBox, facePort, face };
}

const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
const cardOutput = (card = CARD) => ({ code: 0, bytes: encodeGbk(formatCardBas(card)), terminated: true });

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-02T08:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('device configuration', () => {
  it('keeps configurations written for serial scan boxes valid', () => {
    expect(
      DeviceConfigListSchema.parse([{ id: 'qr1', role: 'qr-scanner', model: 'cdc-9600-cr', path: 'COM3', baudRate: 115200 }]),
    ).toHaveLength(1);
  });

  it('accepts every role and transport with what it needs', () => {
    const devices = [
      ...DEVICES,
      { id: 'wedge', role: 'qr-scanner', model: 'wedge-newland-fm430', usb: { vendorId: 0x1eab, productId: 0x1d07, serialNumber: 'A1' } },
      { id: 'reader-serial', role: 'card-reader', model: 'serial-sscard-115200', path: '/dev/ttyUSB0' },
      { id: 'reader-default', role: 'card-reader', model: 'sscard-mohrss' },
    ];
    expect(DeviceConfigListSchema.safeParse(devices).success).toBe(true);
  });

  it.each([
    [{ id: 'a', role: 'qr-scanner', model: 'hidpos-honeywell-1400g', path: '/dev/hidraw0' }, /不使用串口路径/],
    [{ id: 'a', role: 'qr-scanner', model: 'cdc-9600-cr', path: '/dev/ttyACM0', usb: { vendorId: 1, productId: 2 } }, /不使用USB 设备号/],
    [{ id: 'a', role: 'card-reader', model: 'sscard-unified', library: 'x.so', baudRate: 9600 }, /不使用波特率设置/],
    [{ id: 'a', role: 'face-terminal', model: 'face-jsonl-115200' }, /串口设备需要配置串口路径/],
    [{ id: 'a', role: 'card-reader', model: 'cdc-9600-cr', path: '/dev/ttyACM0' }, /不是 card-reader 设备/],
    [{ id: 'a', role: 'printer', model: 'cdc-9600-cr', path: '/dev/ttyACM0' }, /role/],
    [{ id: 'a', role: 'qr-scanner', model: 'hidpos-honeywell-1400g', usb: { vendorId: 0x10000, productId: 1 } }, /usb/],
  ])('refuses %j', (config, problem) => {
    const result = DeviceConfigListSchema.safeParse([config]);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(problem);
  });
});

describe('DeviceManager with every role', () => {
  it('lists each device with its role and where it is', async () => {
    const t = setup();
    await plugAll(t);
    expect(t.manager.list().map((d) => [d.id, d.role, d.path, d.state])).toEqual([
      ['qr-serial', 'qr-scanner', '/dev/ttyACM0', 'connected'],
      ['qr-hid', 'qr-scanner', 'USB 0c2e:0b8f', 'connected'],
      ['reader', 'card-reader', LIBRARY, 'connected'],
      ['face', 'face-terminal', '/dev/ttyACM1', 'connected'],
    ]);
    await t.manager.dispose();
  });

  it('merges scans from serial and HID boxes, classified alike', async () => {
    const t = setup();
    const { scanBox, hidBox } = await plugAll(t);
    scanBox.send('134567890123456789\r');
    new HidPosScannerEmulator(hidBox).scan('HC12345678');
    expect(t.scans.map(({ deviceId, kind }) => [deviceId, kind])).toEqual([
      ['qr-serial', 'wechat-pay'],
      ['qr-hid', 'hospital-card'],
    ]);
    await t.manager.dispose();
  });

  it('reads a card with the station’s reader and returns the 1101 inputs', async () => {
    const t = setup();
    await plugAll(t);
    t.library.answers.push(cardOutput());
    expect(await t.manager.readCard()).toEqual({
      deviceId: 'reader',
      card: CARD,
      query: { certType: '03', certNo: CARD.cardNo, cardSn: CARD.cardSn, insuredRegion: CARD.region },
    });
    expect(t.activities).toEqual([
      { deviceId: 'reader', ok: true, summary: `读卡成功：陈**，卡号 E3*****01`, at: '2026-03-02T08:00:00.000Z' },
    ]);
    await t.manager.dispose();
  });

  it('looks devices up by role: the named one, a connected one, and says why when it cannot', async () => {
    const t = setup([...DEVICES, { id: 'reader-2', role: 'card-reader', model: 'sscard-unified', library: '/opt/other.so' }]);
    t.cardLibraries.remove(LIBRARY); // the first reader cannot load its library
    await plugAll(t);
    t.cardLibraries.library('/opt/other.so').answers.push(cardOutput(), cardOutput());
    expect((await t.manager.readCard()).deviceId).toBe('reader-2');
    expect(await failure(t.manager.readCard('reader'))).toMatchObject({ code: 'offline' });
    expect(await failure(t.manager.readCard('qr-serial'))).toMatchObject({ code: 'wrong-role' });
    expect(await failure(t.manager.readCard('nope'))).toMatchObject({ code: 'not-configured' });
    const noFace = setup(DEVICES.filter((d) => d.role !== 'face-terminal'));
    expect(await failure(noFace.manager.faceVerify(undefined, { outBizNo: 'X1' }))).toMatchObject({ code: 'not-configured' });
    await Promise.all([t.manager.dispose(), noFace.manager.dispose()]);
  });

  it('tries a reader that reported itself missing again, and finds it back', async () => {
    const t = setup();
    await plugAll(t);
    t.library.answers.push({ code: -11, bytes: new Uint8Array(0), terminated: true }, cardOutput());
    expect(await failure(t.manager.readCard())).toMatchObject({ code: 'offline' });
    expect(t.manager.list().find((d) => d.id === 'reader')?.state).toBe('disconnected');
    expect((await t.manager.readCard()).card).toEqual(CARD);
    expect(t.manager.list().find((d) => d.id === 'reader')?.state).toBe('connected');
    await t.manager.dispose();
  });

  it('verifies a face and forwards self-service starts with the device id', async () => {
    const t = setup();
    const { facePort, face } = await plugAll(t);
    const verifying = t.manager.faceVerify(undefined, { outBizNo: 'H35020300001202603020000001' });
    await settle();
    face.answer(IDENTITY);
    expect(await verifying).toEqual({ deviceId: 'face', identity: IDENTITY });
    expect(t.activities.at(-1)).toMatchObject({ deviceId: 'face', ok: true, summary: '刷脸核验通过：陈**' });

    facePort.send(`${JSON.stringify({ type: 'self-service', sessionId: 'S1' })}\n`);
    expect(t.selfServices).toEqual([{ deviceId: 'face', sessionId: 'S1', at: '2026-03-02T08:00:00.000Z' }]);
    await t.manager.dispose();
  });

  it('test reads: a scan box waits for a code, a reader reads, a terminal answers — all masked', async () => {
    const t = setup();
    const { hidBox, face } = await plugAll(t);
    const scanTest = t.manager.testRead('qr-hid');
    new HidPosScannerEmulator(hidBox).scan('134567890123456789');
    expect(await scanTest).toMatchObject({ deviceId: 'qr-hid', ok: true, detail: '读到微信付款码（18位）' });

    t.library.answers.push(cardOutput());
    expect(await t.manager.testRead('reader')).toMatchObject({ ok: true, detail: '读卡成功：陈**，卡号 E3*****01，发卡地区 350200' });
    expect(await t.manager.testRead('reader')).toMatchObject({ ok: false, detail: '读卡器有应答，但未检测到卡片，请插卡后重试' });

    const faceTest = t.manager.testRead('face');
    await settle();
    face.answer();
    expect(await faceTest).toMatchObject({ ok: true, detail: '终端应答：SIM，固件 1.0，序列号 SN******34' });

    const silent = t.manager.testRead('qr-serial', { timeoutMs: 15_000 });
    await settle(15_000);
    expect(await silent).toMatchObject({ ok: false, detail: '15 秒内未读到条码' });
    expect(await t.manager.testRead('ghost')).toMatchObject({ ok: false, detail: '本工作站未配置该设备' });
    await t.manager.dispose();
  });

  it('a test of a device that is not connected says why at once', async () => {
    const t = setup();
    t.manager.start();
    await settle();
    const result = await t.manager.testRead('qr-serial');
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/^设备未连接：/);
    await t.manager.dispose();
  });

  it('dispose closes every device, refuses commands and leaves no timer', async () => {
    const t = setup();
    const { scanBox, facePort } = await plugAll(t);
    await t.manager.dispose();
    expect(scanBox.openConnectionCount + facePort.openConnectionCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(await failure(t.manager.readCard())).toMatchObject({ code: 'disposed' });
  });
});
