// Mobile payment's composition from a station configuration and its key file (real files, a real SQLite file):
// absent without a `mobilePay` section, refused at start when the key file lacks the channel's keys, and otherwise
// the movements the outbox must know (6201/6202/6203/6401, HIS's booking of a phone-paid discharge or outpatient bill
// and their cancels).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sm2GenerateKeyPair } from '../../insurance/crypto';
import { HisClient } from '../../insurance/his';
import { StationConfigSchema, type StationConfigInput } from '../../station/config';
import { silentLogger } from '../../station/log';
import { MOVEMENT_KINDS } from '../../station/movements';
import { FieldCipher, loadOrCreateDataKeys } from '../../station/security';
import { openDatabase, type Db } from '../../station/store';
import { wireMobilePay, type MobilePayParts } from './mobile-pay';

const station = sm2GenerateKeyPair();
const centre = sm2GenerateKeyPair();
const BASE_KEYS = {
  clientId: 'ABCDEF0123456789',
  stationPrivateKeyHex: station.privateKeyHex,
  centrePublicKeyHex: centre.publicKeyHex,
  hisAppSecret: 'his-secret-0123456789',
  payChannelKey: 'pay-key-0123456789ab',
};
const CONFIG: StationConfigInput = {
  stationId: 'win-03',
  institution: { code: 'H35020300001', name: '厦门市模拟医院', admdvs: '350200' },
  nhsa: { baseUrl: 'https://fsi.example.gov.cn/fsi/api', centreRegion: '350200', recerSysCode: 'HIS01', keyFile: 'keys/nhsa.json' },
  voucher: { baseUrl: 'https://fsi.example.gov.cn/ecpt' },
  his: { baseUrl: 'https://his.hospital.example/api', appId: 'STATION' },
  payChannel: { baseUrl: 'https://pay.example.com', mchId: '1900000109' },
  mobilePay: { baseUrl: 'https://mobile.example.gov.cn/org/local/api/hos', appId: '1G8D2BS5V0A84460C80A000022A0F3E1' },
};

let dir: string;
let db: Db;
let parts: MobilePayParts;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobile-wiring-'));
  db = openDatabase(path.join(dir, 'station.db'));
  const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
  const his = new HisClient({ baseUrl: 'https://his.hospital.example/api', appId: 'STATION', appSecret: 'x'.repeat(16), timeoutMs: 1000 });
  parts = { db, cipher, his, now: () => new Date(), log: silentLogger };
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function keyFile(keys: Record<string, string>): void {
  fs.mkdirSync(path.join(dir, 'keys'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'keys', 'nhsa.json'), JSON.stringify(keys), { mode: 0o600 });
}

describe('mobile payment in the composition', () => {
  it('is absent without a mobilePay section', () => {
    keyFile(BASE_KEYS);
    const { mobilePay: _none, ...config } = CONFIG;
    expect(wireMobilePay(dir, StationConfigSchema.parse(config), parts)).toBeNull();
  });

  it('refuses to start when the key file lacks the channel’s secret or SM2 keys, naming them', () => {
    keyFile(BASE_KEYS);
    expect(() => wireMobilePay(dir, StationConfigSchema.parse(CONFIG), parts)).toThrow('mobilePayAppSecret');
  });

  it('gives the outbox the channel’s movements and HIS’s booking, with the configured callback path', () => {
    const hospital = sm2GenerateKeyPair();
    keyFile({
      ...BASE_KEYS,
      mobilePayAppSecret: 'channel-secret',
      mobilePayPrivateKeyHex: hospital.privateKeyHex,
      mobilePayCentrePublicKeyHex: centre.publicKeyHex,
    });
    const wired = wireMobilePay(dir, StationConfigSchema.parse(CONFIG), parts)!;
    expect(wired.movements.map((m) => m.kind).sort()).toEqual(
      [
        MOVEMENT_KINDS.mobileUpload,
        MOVEMENT_KINDS.mobilePay,
        MOVEMENT_KINDS.mobileCentrePaid,
        MOVEMENT_KINDS.mobileRefund,
        MOVEMENT_KINDS.mobileCancel,
        MOVEMENT_KINDS.mobileWardSettle,
        MOVEMENT_KINDS.mobileWardCancel,
        MOVEMENT_KINDS.mobileClinicSettle,
        MOVEMENT_KINDS.mobileClinicCancel,
      ].sort(),
    );
    expect(wired.callbackPath).toBe('/callbacks/mobile-pay');
  });
});
