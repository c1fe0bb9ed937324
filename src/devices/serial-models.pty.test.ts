/**
 * Evidence for every serial model in the catalogue, through the whole stack (DeviceManager → serialport →
 * socat pty → the role's emulator): unplug → "disconnected" within 1 s, replug → "connected" within 2 s,
 * and every exchange before and after arrives exactly once. A new serial model is covered by being added.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatusView } from '../shared/domain';
import { SerialCardReaderEmulator } from '../simulators/devices/card-reader-emulator';
import { FaceTerminalEmulator } from '../simulators/devices/face-terminal-emulator';
import { createPtyPair, isSocatAvailable, SOCAT_MISSING_REASON, type PtyPair } from '../simulators/devices/pty-pair';
import { QrScannerEmulator } from '../simulators/devices/qr-scanner-emulator';
import { TRAINING_CARDS } from '../simulators/devices/training-cards';
import { DeviceManager, type DeviceScan } from './manager';
import { DEVICE_MODEL_IDS, findDeviceModel, type DeviceModel } from './models';
import { EventLog } from './testing/event-log';
import { PosTerminalEmulator } from '../simulators/devices/pos-terminal-emulator';
import { createSerialPortTransport } from './transports/serial-transport';
import { missing } from '../../test/harness/prerequisites';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const SERIAL_MODELS = DEVICE_MODEL_IDS.map((id) => findDeviceModel(id)!).filter((model) => model.transport === 'serial');

/** One exchange with the device; returns what the station received, to be compared across the unplug. */
type Exchange = (n: number) => Promise<string>;

function exchangeFor(model: DeviceModel, cable: PtyPair, manager: DeviceManager): Exchange {
  switch (model.role) {
    case 'qr-scanner': {
      const emulator = new QrScannerEmulator(cable.devicePath, 'terminator' in model ? model.terminator : 'CR');
      const scans = new EventLog<DeviceScan>(manager.onScan);
      cleanups.push(
        () => emulator.close(),
        () => scans.dispose(),
      );
      return async (n) => {
        const code = `HC${String(n).padStart(8, '0')}`;
        const mark = scans.mark();
        await emulator.scan(code);
        await scans.waitFor((scan) => scan.code === code, { after: mark });
        return scans.values
          .slice(mark)
          .map((scan) => scan.code)
          .join();
      };
    }
    case 'card-reader': {
      const emulator = new SerialCardReaderEmulator(cable.devicePath);
      cleanups.push(() => emulator.close());
      return async (n) => {
        const card = TRAINING_CARDS[n % TRAINING_CARDS.length]!;
        emulator.insert(card);
        const { card: read } = await manager.readCard();
        return `${read.cardNo}/${emulator.requests.length}`;
      };
    }
    case 'face-terminal': {
      const emulator = new FaceTerminalEmulator(cable.devicePath);
      cleanups.push(() => emulator.close());
      return async (n) => {
        const authNo = `AUTH${n}`;
        emulator.nextVerification({
          identity: {
            authNo,
            ecToken: 'ADBHJRS5I01E0F3438C00000B959FA88',
            idNo: '350203196804122036',
            userName: '陈建国',
            insuOrg: '350200',
          },
        });
        const { identity } = await manager.faceVerify(undefined, { outBizNo: `H3502030000120260302${n}` });
        return identity.authNo;
      };
    }
    case 'pos-terminal': {
      const emulator = new PosTerminalEmulator(cable.devicePath);
      cleanups.push(() => emulator.close());
      return async (n) => {
        const sale = await manager.posTerminal().sale(`MZ${n}K0001`, 100 * n);
        return `${sale.code}/${emulator.chargedFen()}/${emulator.ledger.size}`;
      };
    }
  }
}

const suite = isSocatAvailable() ? 'every serial model over real ptys' : `serial models over ptys — skipped: ${SOCAT_MISSING_REASON}`;

describe.skipIf(missing('socat'))(suite, () => {
  it('the catalogue has serial models of every role', () => {
    expect(new Set(SERIAL_MODELS.map((model) => model.role))).toEqual(
      new Set(['qr-scanner', 'card-reader', 'face-terminal', 'pos-terminal']),
    );
  });

  it.each(SERIAL_MODELS.map((model) => [model.id, model] as const))('%s: unplug and replug, nothing lost or doubled', async (_, model) => {
    const cable = await createPtyPair();
    cleanups.push(() => cable.close());
    const manager = new DeviceManager({
      devices: [{ id: 'dev1', role: model.role, model: model.id, path: cable.stationPath }],
      transports: { serial: createSerialPortTransport() },
    });
    cleanups.push(() => manager.dispose());
    const statuses = new EventLog<DeviceStatusView>(manager.onStatus);
    cleanups.push(() => statuses.dispose());
    const exchange = exchangeFor(model, cable, manager);
    // Request/response devices are probed on connect; their detail then names the device ("已连接（…）").
    const ready = (after: number, timeoutMs?: number) =>
      statuses.waitFor((s) => s.state === 'connected' && (model.role === 'qr-scanner' || s.detail.startsWith('已连接（')), {
        after,
        timeoutMs,
        what: 'connected (and probed)',
      });
    manager.start();
    await ready(0);

    const before = await exchange(1);
    const unplugMark = statuses.mark();
    await cable.unplug();
    await statuses.waitFor((s) => s.state === 'disconnected', { after: unplugMark, timeoutMs: 10_000 });

    const replugMark = statuses.mark();
    await cable.replug();
    await statuses.waitFor((s) => s.state === 'connected', { after: replugMark, timeoutMs: 10_000 });
    await ready(replugMark);

    const after = [await exchange(2), await exchange(3)];
    switch (model.role) {
      case 'qr-scanner':
        expect([before, ...after]).toEqual(['HC00000001', 'HC00000002', 'HC00000003']);
        break;
      case 'card-reader': // card number / requests the reader has seen (each probe and read once)
        expect([before, ...after]).toEqual([
          `${TRAINING_CARDS[1]!.cardNo}/2`,
          `${TRAINING_CARDS[2]!.cardNo}/4`,
          `${TRAINING_CARDS[3]!.cardNo}/5`,
        ]);
        break;
      case 'face-terminal':
        expect([before, ...after]).toEqual(['AUTH1', 'AUTH2', 'AUTH3']);
        break;
      case 'pos-terminal': // approved / charged in all / sales in the ledger: each sale once
        expect([before, ...after]).toEqual(['00/100/1', '00/300/2', '00/600/3']);
        break;
    }
  });
});
