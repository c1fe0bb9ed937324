/**
 * Test support: one hospital's NHSA mobile-payment channel — an app id and secret, a fresh SM2 key pair on each
 * side — as the simulated centre is started with it and as the station's client speaks it.
 */
import { sm2GenerateKeyPair } from '../../src/insurance/crypto';
import { MobilePayClient, MobilePayConfigSchema } from '../../src/insurance/mobile-pay';

const APP = { appId: 'TESTAPPID0000000000000000000001X', appSecret: 'TESTSECRET00000000000000000000XY', userId: '1234567812345678' };
const ORG = 'H35020300001';

export function mobilePayTestChannel() {
  const hospital = sm2GenerateKeyPair();
  const centre = sm2GenerateKeyPair();
  return {
    /** For `startMobilePayCentre` (with a dbPath or notifyUrl of the test's own). */
    centre: {
      channel: { ...APP, centrePrivateKeyHex: centre.privateKeyHex, hospitalPublicKeyHex: hospital.publicKeyHex },
      orgCode: ORG,
    },
    /** The station's client of the centre at `baseUrl`. */
    client: (baseUrl: string, timeoutMs?: number) =>
      new MobilePayClient(
        MobilePayConfigSchema.parse({
          baseUrl,
          ...APP,
          orgCodg: ORG,
          privateKeyHex: hospital.privateKeyHex,
          centrePublicKeyHex: centre.publicKeyHex,
          ...(timeoutMs === undefined ? {} : { timeoutMs }),
        }),
      ),
  };
}
