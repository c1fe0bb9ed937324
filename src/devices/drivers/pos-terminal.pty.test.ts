/**
 * The bank-card POS terminal over real ptys (socat) and the real `serialport` transport, with the terminal
 * emulator and its own ledger on the far end: sale, declined, a lost answer resolved by 查询 (exactly one charge
 * in the ledger, a second sale under the same REF refused), a damaged answer NAKed and resent, void and refund.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatusView } from '../../shared/domain';
import { PosTerminalEmulator } from '../../simulators/devices/pos-terminal-emulator';
import { createPtyPair, isSocatAvailable, SOCAT_MISSING_REASON } from '../../simulators/devices/pty-pair';
import { POS_TERMINAL_MODELS, type SerialPosTerminalModel } from '../models/pos-terminals';
import { EventLog } from '../testing/event-log';
import { createSerialPortTransport } from '../transports/serial-transport';
import type { DeviceWarning } from './device-driver';
import { POS_TERMINAL_TEXT, SerialPosTerminal } from './pos-terminal';
import { missing } from '../../../test/harness/prerequisites';

/** The production model with short waits, so a lost answer is found out in well under a second. */
const MODEL: SerialPosTerminalModel = { ...POS_TERMINAL_MODELS['pos-unionpay-9600'], saleTimeoutMs: 500, commandTimeoutMs: 500 };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function rig() {
  const cable = await createPtyPair();
  cleanups.push(() => cable.close());
  const emulator = new PosTerminalEmulator(cable.devicePath);
  cleanups.push(() => emulator.close());
  const pos = new SerialPosTerminal({ id: 'pos1', model: MODEL, path: cable.stationPath, transport: createSerialPortTransport() });
  cleanups.push(() => pos.dispose());
  const statuses = new EventLog<DeviceStatusView>(pos.onStatus);
  const warnings = new EventLog<DeviceWarning>(pos.onWarning);
  cleanups.push(
    () => statuses.dispose(),
    () => warnings.dispose(),
  );
  const ready = statuses.waitFor((s) => s.detail === POS_TERMINAL_TEXT.ready('SIM-POS100 v1.0'), { what: 'status answer' });
  pos.start();
  await ready;
  return { emulator, pos, warnings };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

const suite = isSocatAvailable() ? 'SerialPosTerminal over real ptys' : `SerialPosTerminal over ptys — skipped: ${SOCAT_MISSING_REASON}`;

describe.skipIf(missing('socat'))(suite, () => {
  it('a sale is approved with its voucher and reference numbers and the masked card; the ledger holds one charge', async () => {
    const r = await rig();
    const answer = await r.pos.sale('MZ1K0001', 8320);
    expect(answer).toEqual({
      type: 'sale',
      code: '00',
      ref: 'MZ1K0001',
      amountFen: 8320,
      trace: '000001',
      rrn: expect.stringMatching(/^\d{12}$/),
      cardMasked: '622588******1234',
      message: '交易成功',
    });
    expect(r.emulator.chargedFen()).toBe(8320);
    expect(r.warnings.values).toEqual([]);
  });

  it('declined: the bank’s code and words come back; nothing is charged', async () => {
    const r = await rig();
    r.emulator.injectFault({ kind: 'declined', code: '51', message: '余额不足' });
    expect(await r.pos.sale('MZ1K0002', 8320)).toMatchObject({ code: '51', message: '余额不足', trace: '' });
    expect(r.emulator.chargedFen()).toBe(0);
  });

  it('the answer lost after the card was charged: the sale times out, 查询 finds it, a second sale is refused — one charge', async () => {
    const r = await rig();
    r.emulator.injectFault({ kind: 'answer-lost' });
    expect(await failure(r.pos.sale('MZ1K0003', 5000))).toMatchObject({ code: 'timeout' });
    const found = await r.pos.query('MZ1K0003');
    expect(found).toMatchObject({ type: 'query', code: '00', ref: 'MZ1K0003', amountFen: 5000, trace: '000001' });
    expect(await r.pos.sale('MZ1K0003', 5000)).toMatchObject({ code: '94' });
    expect(r.emulator.chargedFen()).toBe(5000);
    expect([...r.emulator.ledger.values()].filter((e) => e.kind === 'sale')).toHaveLength(1);
  });

  it('no answer at all: 查询 says the terminal never did it (25), and nothing is charged', async () => {
    const r = await rig();
    r.emulator.injectFault({ kind: 'silent' });
    expect(await failure(r.pos.sale('MZ1K0004', 5000))).toMatchObject({ code: 'timeout' });
    expect(await r.pos.query('MZ1K0004')).toMatchObject({ code: '25' });
    expect(r.emulator.chargedFen()).toBe(0);
  });

  it('a damaged answer (wrong LRC) is NAKed and the terminal sends it again', async () => {
    const r = await rig();
    r.emulator.injectFault({ kind: 'corrupt-lrc' });
    expect(await r.pos.sale('MZ1K0005', 100)).toMatchObject({ code: '00' });
    expect(r.emulator.acks.nak).toBe(1);
    expect(r.warnings.values.map((w) => w.message)).toContain(POS_TERMINAL_TEXT.dropped['bad-lrc']);
  });

  it('void (撤销) and refund (退货) give the money back once; a second void of the same sale is refused', async () => {
    const r = await rig();
    await r.pos.sale('MZ1K0006', 2000);
    await r.pos.sale('MZ1K0007', 3000);
    expect(await r.pos.void('MZ1V0006', 'MZ1K0006', 2000)).toMatchObject({ type: 'void', code: '00' });
    expect(await r.pos.void('MZ1V0006', 'MZ1K0006', 2000)).toMatchObject({ code: '00' }); // the same REF again: what it did
    expect(await r.pos.void('MZ1V9999', 'MZ1K0006', 2000)).toMatchObject({ code: '12' });
    expect(await r.pos.refund('MZ1R0007', 'MZ1K0007', 3000)).toMatchObject({ type: 'refund', code: '00' });
    expect(r.emulator.chargedFen()).toBe(0);
    expect(r.emulator.ledger.get('MZ1K0006')?.state).toBe('voided');
    expect(r.emulator.ledger.get('MZ1K0007')?.state).toBe('refunded');
  });
});
