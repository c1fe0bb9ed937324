/**
 * Test support for tests through the composed station in training (the simulators it starts itself): open one on a
 * fresh data dir, sign an operator in as a window would, and pay a deposit by WeChat as the admission office does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStationFromConfig, type ComposedStation } from '../../src/app/compose';
import { TRAINING_KEY_FILE, TRAINING_MCH_ID } from '../../src/app/training-rig';
import { TRAINING_PASSWORD } from '../../src/station/auth/training-operators';
import { PayChannelClient } from '../../src/insurance/pay-channel';
import { fen } from '../../src/shared/money';

export type Answer = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

type Options = Omit<Parameters<typeof createStationFromConfig>[0], 'dataDir' | 'training' | 'shell'>;

/** A training station on a fresh data dir (a fast KDF, a 3 s NHSA timeout); `close` removes the dir too. */
export async function openTrainingStation(
  name: string,
  opts: Options = {},
): Promise<{ dataDir: string; station: ComposedStation; close(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `station-${name}-`));
  const station = await startTrainingStation(dataDir, opts);
  return {
    dataDir,
    station,
    async close() {
      await station.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The training station on `dataDir` as the tests start it (a fast KDF, a 3 s NHSA timeout): the first start, or the next. */
export function startTrainingStation(dataDir: string, opts: Options = {}): Promise<ComposedStation> {
  return createStationFromConfig({
    dataDir,
    training: true,
    shell: 'browser',
    kdfCost: { N: 2 ** 14, r: 8, p: 1 },
    nhsaTimeoutMs: 3000,
    ...opts,
  });
}

/** A window's session signed in with the training password: `call` throws on a refusal, `raw` answers as it is. */
export async function signInAs(station: ComposedStation, login: string) {
  const session = station.core.openSession('ws');
  const raw = (op: string, input: unknown = {}) => station.core.dispatch(session, op, input) as Promise<Answer>;
  const call = async <T>(op: string, input: unknown = {}): Promise<T> => {
    const r = await raw(op, input);
    if (!r.ok) throw new Error(`${op}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  await call('login', { login, password: TRAINING_PASSWORD });
  return { call, raw, session };
}

/** A deposit paid by WeChat at the admission office: a real trade at the training platform, then booked at HIS. */
export async function payWechatDeposit(
  station: ComposedStation,
  dataDir: string,
  iptNo: string,
  amountFen: number,
  n = 1,
): Promise<string> {
  const rig = station.training!;
  const key = (JSON.parse(fs.readFileSync(path.join(dataDir, TRAINING_KEY_FILE), 'utf8')) as { payChannelKey: string }).payChannelKey;
  const pay = new PayChannelClient({ baseUrl: rig.payChannel.url, mchId: TRAINING_MCH_ID, key, timeoutMs: 5000 });
  const wallet = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
  const outTradeNo = `YJ${iptNo}${n}`;
  const paid = await pay.micropay({ outTradeNo, totalFee: fen(amountFen), subject: '住院预交金', authCode: wallet.authCode });
  if (paid.kind !== 'ok' || paid.value.status !== 'paid') throw new Error(JSON.stringify(paid));
  return rig.his.control.ward.deposit({ iptNo, channel: 'wechat', amountFen, outTradeNo, transactionId: paid.value.payment.transactionId });
}
