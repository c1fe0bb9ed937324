import smCrypto from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64, toHex, utf8 } from './encoding';
import {
  mobilePayDataKey,
  mobilePaySignText,
  openMobilePay,
  privateKeyHexFromBase64,
  publicKeyHexFromBase64,
  sealMobilePay,
  type MobilePayKeys,
} from './mobile-pay-envelope';
import { sm2GenerateKeyPair, sm2SignWithFixedNonceForKnownAnswerTest } from './sm2';

// protocol-research.md §3.4, fake credentials.
const EX = {
  appId: 'ABCDEFGHIJKLMNOP0123456789ABCDEF',
  appSecret: '0123456789ABCDEF0123456789ABCDEF',
  data: { medfeeSumamt: '12.34', userName: '张三' },
  encData: '5DB749610E653D0960D9174CAD87B83403A6BF2881A5E69028047BD47FEF24AB533818E2C36A2954EB1155F35233412A',
  signText:
    'appId=ABCDEFGHIJKLMNOP0123456789ABCDEF&data={"medfeeSumamt":"12.34","userName":"张三"}&encType=SM4&signType=SM2' +
    '&timestamp=1700000000000&version=2.0.1&key=0123456789ABCDEF0123456789ABCDEF',
  privB64: 'OUUgj3shRLE/NuOKxtOflYiTk2koYLUaQvuB7033xbg=',
  pubB64: 'BAn53zEeVCGhUN19Fh5LxcZyF5+tGDP8B2uwj/NW81AgzOpJDOJndaUtxupxjMGqYArtBfvzXghKZjL2By2prRM=',
  k: '59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21',
  signDefaultId: 'wgZ+PmW7nz9N3Fqjb+8xfwUsXO/ghJZJb53wN/cZ1WBjfkeDMM69z8J5pgKtW1nWVrWIhI9urwvktd6b81urrQ==',
  signSecretId: 'BZ50UKpaDQLYZF2OR53afGHyT2F5WBkoCk72PB+qYhbynWyJtJk/MQQbHMgI+McWkWMjk/xzpoSC26yC17GaCQ==',
};

function keysFor(userId: string): MobilePayKeys {
  const publicKeyHex = publicKeyHexFromBase64(EX.pubB64);
  return {
    appId: EX.appId,
    appSecret: EX.appSecret,
    privateKeyHex: privateKeyHexFromBase64(EX.privB64),
    peerPublicKeyHex: publicKeyHex,
    userId,
  };
}

const fixedK = (text: string, d: string, opts: { userId?: string }) => sm2SignWithFixedNonceForKnownAnswerTest(text, d, EX.k, opts);

describe('mobile-payment envelope — the worked example', () => {
  it('derives the SM4 key "B5761CEB9AECB766" from appId and appSecret', () => {
    expect(utf8.decode(mobilePayDataKey(EX.appId, EX.appSecret))).toBe('B5761CEB9AECB766');
  });

  it('gives the example encData, sign text and both signData values', () => {
    for (const [userId, expected] of [
      ['1234567812345678', EX.signDefaultId],
      [EX.appSecret, EX.signSecretId],
    ] as const) {
      const envelope = sealMobilePay(keysFor(userId), EX.data, '1700000000000', fixedK);
      expect(envelope.encData).toBe(EX.encData);
      expect(envelope.signData).toBe(expected);
      expect(envelope).toMatchObject({ appId: EX.appId, encType: 'SM4', signType: 'SM2', version: '2.0.1' });
    }
    expect(
      mobilePaySignText(
        { appId: EX.appId, encType: 'SM4', signType: 'SM2', timestamp: '1700000000000', version: '2.0.1', data: EX.data },
        EX.appSecret,
      ),
    ).toBe(EX.signText);
  });

  it('agrees with the independent sm-crypto on encData and the signature', () => {
    const keys = keysFor('1234567812345678');
    const envelope = sealMobilePay(keys, EX.data, '1700000000000');
    const keyHex = toHex(mobilePayDataKey(EX.appId, EX.appSecret));
    expect(String(smCrypto.sm4.decrypt(envelope.encData.toLowerCase(), keyHex))).toBe(JSON.stringify(EX.data));
    const rs = toHex(fromBase64(envelope.signData));
    expect(smCrypto.sm2.doVerifySignature(EX.signText, rs, keys.peerPublicKeyHex, { hash: true, der: false, userId: keys.userId })).toBe(
      true,
    );
    const theirs = smCrypto.sm2.doSignature(EX.signText, keys.privateKeyHex, { hash: true, der: false, userId: keys.userId });
    const sealed = { ...envelope, signData: Buffer.from(theirs, 'hex').toString('base64') };
    expect(openMobilePay(keys, sealed)).toEqual(EX.data);
  });
});

describe('mobile-payment envelope — opening', () => {
  const station = sm2GenerateKeyPair();
  const centre = sm2GenerateKeyPair();
  const mine: MobilePayKeys = {
    appId: EX.appId,
    appSecret: EX.appSecret,
    privateKeyHex: station.privateKeyHex,
    peerPublicKeyHex: centre.publicKeyHex,
    userId: '1234567812345678',
  };
  const theirs: MobilePayKeys = { ...mine, privateKeyHex: centre.privateKeyHex, peerPublicKeyHex: station.publicKeyHex };
  const data = { payOrdId: 'P1', feedetailList: [{ amt: 1.5, name: '床位费' }], empty: '', none: null };

  it('round-trips between the two sides, nested data included', () => {
    expect(openMobilePay(theirs, sealMobilePay(mine, data, '1'))).toEqual(data);
  });

  it('refuses a changed timestamp, a swapped encData and the wrong user id; accepts lower-case hex', () => {
    const envelope = sealMobilePay(mine, data, '1');
    expect(() => openMobilePay(theirs, { ...envelope, timestamp: '2' })).toThrow(/bad signData/);
    const other = sealMobilePay(mine, { ...data, payOrdId: 'P2' }, '1');
    expect(() => openMobilePay(theirs, { ...envelope, encData: other.encData })).toThrow(/bad signData/);
    expect(() => openMobilePay({ ...theirs, userId: EX.appSecret }, envelope)).toThrow(/bad signData/);
    expect(openMobilePay(theirs, { ...envelope, encData: envelope.encData.toLowerCase() })).toEqual(data);
  });

  it('accepts a 33-byte private key with a leading zero and an X‖Y public key', () => {
    const d = privateKeyHexFromBase64(EX.privB64);
    expect(privateKeyHexFromBase64(Buffer.concat([Buffer.from([0]), Buffer.from(d, 'hex')]).toString('base64'))).toBe(d);
    const xy = Buffer.from(publicKeyHexFromBase64(EX.pubB64).slice(2), 'hex').toString('base64');
    expect(publicKeyHexFromBase64(xy)).toBe(publicKeyHexFromBase64(EX.pubB64));
  });
});
