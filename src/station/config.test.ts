// A hospital's station.config.json, read from a real file: the links that move money must be HTTPS with the NHSA
// sm profile, unless they stay on the workstation or a private-line exception is written down; the error names
// the field.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStationConfig, reversibleInfnosOf, STATION_CONFIG_FILE } from './config';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-config-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

type Json = Record<string, Record<string, unknown> | string>;

function hospital(): Json {
  return {
    stationId: 'win-03',
    institution: { code: 'H35020300001', name: '厦门市模拟医院', admdvs: '350200' },
    nhsa: { baseUrl: 'https://fsi.example.gov.cn/fsi/api', centreRegion: '350200', recerSysCode: 'HIS01', keyFile: 'keys/nhsa.json' },
    voucher: { baseUrl: 'https://fsi.example.gov.cn/ecpt' },
    his: { baseUrl: 'https://his.hospital.example/api', appId: 'STATION' },
    payChannel: { baseUrl: 'https://pay.example.com', mchId: '1900000109' },
    messages: { baseUrl: 'https://pay.example.com/msg' },
    mobilePay: { baseUrl: 'https://mobile.example.gov.cn/org/local/api/hos', appId: '1G8D2BS5V0A84460C80A000022A0F3E1' },
  };
}

function load(config: Json) {
  fs.writeFileSync(path.join(dir, STATION_CONFIG_FILE), JSON.stringify(config));
  return () => loadStationConfig(dir);
}

const withField = (config: Json, section: string, field: Record<string, unknown>): Json => ({
  ...config,
  [section]: { ...(config[section] as Record<string, unknown>), ...field },
});

const PRIVATE_LINE = { reason: '省医保专线，经前置机接入', approvedBy: '信息科 王工' };

describe('live configuration', () => {
  it('accepts HTTPS everywhere with the sm profile (the default)', () => {
    expect(load(hospital())().nhsa.profile).toBe('sm');
  });

  for (const section of ['nhsa', 'voucher', 'his', 'payChannel', 'messages', 'mobilePay']) {
    it(`refuses plain HTTP to another host for ${section}, naming ${section}.baseUrl`, () => {
      const read = load(withField(hospital(), section, { baseUrl: 'http://10.20.30.40:8080/api' }));
      expect(read).toThrow(`${section}.baseUrl: 须为 https`);
    });

    it(`accepts plain HTTP for ${section} with a private-line exception`, () => {
      const read = load(withField(hospital(), section, { baseUrl: 'http://10.20.30.40:8080/api', privateLine: PRIVATE_LINE }));
      expect(read().stationId).toBe('win-03');
    });
  }

  it('takes mobile payment as optional, with the callback path by default and a channel id the centre could have issued', () => {
    expect(load(hospital())().mobilePay).toMatchObject({ callbackPath: '/callbacks/mobile-pay', timeoutMs: 15_000 });
    const { mobilePay: _none, ...without } = hospital();
    expect(load(without)().mobilePay).toBeUndefined();
    expect(load(withField(hospital(), 'mobilePay', { appId: 'short' }))).toThrow('mobilePay.appId');
    expect(load(withField(hospital(), 'mobilePay', { callbackPath: 'no-slash' }))).toThrow('mobilePay.callbackPath');
  });

  it("takes the centre answers' size caps, and refuses a cap too small to hold an answer", () => {
    expect(load(withField(hospital(), 'nhsa', { maxAnswerBytes: 2_000_000 }))().nhsa.maxAnswerBytes).toBe(2_000_000);
    expect(load(withField(hospital(), 'nhsa', { maxFileBytes: 100 }))).toThrow('nhsa.maxFileBytes');
  });

  it('undoes a lost registration by 5201 + 2202 unless nhsa.lostRegistration names 2601; 2601 reverses the national list only', () => {
    const national = ['2207', '2208', '2304', '2305', '2401'];
    const byDefault = load(hospital())().nhsa;
    expect(byDefault.lostRegistration).toBe('query-and-cancel');
    expect(reversibleInfnosOf(byDefault)).toEqual(national);
    const province = load(withField(hospital(), 'nhsa', { lostRegistration: 'reverse-2601' }))().nhsa;
    expect(reversibleInfnosOf(province)).toEqual([...national, '2201']);
    expect(load(withField(hospital(), 'nhsa', { lostRegistration: 'ignore' }))).toThrow('nhsa.lostRegistration');
  });

  it('reconciles automatically only when reconciliation.autoAfterHour names an hour; the office key file is optional', () => {
    const byDefault = load(hospital())();
    expect(byDefault.reconciliation.autoAfterHour).toBeUndefined();
    expect(load({ ...hospital(), reconciliation: { autoAfterHour: 2 } })().reconciliation.autoAfterHour).toBe(2);
    expect(load({ ...hospital(), reconciliation: { autoAfterHour: 24 } })).toThrow('reconciliation.autoAfterHour');
    const ledger = { url: 'postgres://ledger.hospital.example:5432/yibao' };
    expect(load({ ...hospital(), ledger })().ledger).toEqual({ ...ledger, keyFile: 'ledger-keys.json' });
    expect(load({ ...hospital(), ledger: { ...ledger, officeKeyFile: 'office-keys.json' } })().ledger?.officeKeyFile).toBe(
      'office-keys.json',
    );
  });

  it('refuses the plain profile, naming nhsa.profile', () => {
    expect(load(withField(hospital(), 'nhsa', { profile: 'plain' }))).toThrow('nhsa.profile: 须为 sm');
  });

  it('accepts the plain profile over a private line', () => {
    expect(load(withField(hospital(), 'nhsa', { profile: 'plain', privateLine: PRIVATE_LINE }))().nhsa.profile).toBe('plain');
  });

  it('refuses an exception without its reason or approver', () => {
    const read = load(withField(hospital(), 'his', { baseUrl: 'http://10.1.1.1/api', privateLine: { reason: '专线', approvedBy: '' } }));
    expect(read).toThrow('his.privateLine.reason');
    expect(read).toThrow('his.privateLine.approvedBy');
  });

  it('keeps plain HTTP on the workstation itself (training rig, chaos, a local front-end processor)', () => {
    let config = hospital();
    for (const [section, port] of [
      ['nhsa', 1],
      ['voucher', 2],
      ['his', 3],
      ['payChannel', 4],
      ['messages', 5],
    ] as const)
      config = withField(config, section, { baseUrl: `http://127.0.0.1:900${port}` });
    config = withField(config, 'his', { baseUrl: 'http://localhost:9003' });
    expect(load(config)().his.baseUrl).toBe('http://localhost:9003');
  });
});
