import { describe, expect, it } from 'vitest';
import { sm2GenerateKeyPair } from '../crypto';
import { NhsaConfigSchema, type NhsaConfigInput } from './config';

const station = sm2GenerateKeyPair();
const centre = sm2GenerateKeyPair();

const base: NhsaConfigInput = {
  baseUrl: 'https://gw.example.test/fsi/api/',
  urlStyle: 'per-infno',
  profile: 'sm',
  institution: { code: 'H35020300001', name: '厦门市模拟医院', admdvs: '350200' },
  centreRegion: '350200',
  recerSysCode: 'SIM',
  timeoutMs: 20_000,
  clientId: 'SIMCLIENT0000001',
  stationPrivateKeyHex: station.privateKeyHex,
  centrePublicKeyHex: centre.publicKeyHex,
};

describe('NhsaConfigSchema', () => {
  it('applies defaults and trims the base URL', () => {
    const config = NhsaConfigSchema.parse(base);
    expect(config.baseUrl).toBe('https://gw.example.test/fsi/api');
    expect(config.infver).toBe('V1.0');
    expect(config.userId).toBe('1234567812345678');
    expect(config.reversibleInfnos).toEqual(['2207', '2208', '2304', '2305', '2401']);
    expect(config.fileTimeoutMs).toBe(300_000);
  });

  it("takes the province's list of reversible transactions, state-changing ones only", () => {
    expect(NhsaConfigSchema.parse({ ...base, reversibleInfnos: ['2207', '2304'] }).reversibleInfnos).toEqual(['2207', '2304']);
    expect(NhsaConfigSchema.safeParse({ ...base, reversibleInfnos: ['2207', '5203'] }).success).toBe(false);
    expect(NhsaConfigSchema.safeParse({ ...base, reversibleInfnos: ['22O7'] }).success).toBe(false);
  });

  it('requires the SM key material for the sm profile only', () => {
    const { clientId: _c, stationPrivateKeyHex: _s, centrePublicKeyHex: _p, ...noKeys } = base;
    const result = NhsaConfigSchema.safeParse(noKeys);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['centrePublicKeyHex', 'clientId', 'stationPrivateKeyHex']);
    expect(NhsaConfigSchema.safeParse({ ...noKeys, profile: 'plain' }).success).toBe(true);
  });

  it.each([
    ['clientId', 'SHORT'],
    ['clientId', 'SIMCLIENT000000é'],
    ['stationPrivateKeyHex', '0'.repeat(64)],
    ['centrePublicKeyHex', centre.publicKeyHex.slice(0, -1) + (centre.publicKeyHex.endsWith('0') ? '1' : '0')],
    ['centreRegion', '35020'],
    ['baseUrl', 'ftp://gw.example.test'],
    ['timeoutMs', 0],
  ] as const)('rejects %s = %j', (key, value) => {
    expect(NhsaConfigSchema.safeParse({ ...base, [key]: value }).success).toBe(false);
  });
});
