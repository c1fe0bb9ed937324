/**
 * A centre on a random port with freshly generated keys, for tests and training mode. Returns the key
 * material the station side needs, as plain data, and the station configuration that talks to it.
 */
import { sm2 } from 'sm-crypto-v2';
import { startNhsaCentre, type NhsaCentre, type NhsaCentreOptions } from './centre';

/** The training hospital every fixture's station speaks for. */
export const FIXTURE_INSTITUTION = { code: 'H35020300001', name: '厦门市模拟医院', admdvs: '350200' } as const;

export interface CentreFixture {
  centre: NhsaCentre;
  region: string;
  clientId: string;
  station: { privateKeyHex: string; publicKeyHex: string };
  centrePublicKeyHex: string;
  /** The station's NHSA configuration for this centre (the shape of the client's NhsaConfigInput), as data. */
  stationConfig(overrides?: Record<string, unknown>): {
    baseUrl: string;
    urlStyle: 'per-infno';
    profile: 'sm' | 'plain';
    institution: { code: string; name: string; admdvs: string };
    centreRegion: string;
    recerSysCode: string;
    timeoutMs: number;
    clientId: string;
    stationPrivateKeyHex: string;
    centrePublicKeyHex: string;
  };
}

export async function startCentreWithFreshKeys(
  options: Partial<Omit<NhsaCentreOptions, 'keys'>> & { clientId?: string } = {},
): Promise<CentreFixture> {
  const station = sm2.generateKeyPairHex();
  const centreKeys = sm2.generateKeyPairHex();
  const { clientId = 'SIMCLIENT0000001', region = '350200', ...rest } = options;
  const centre = await startNhsaCentre({
    ...rest,
    region,
    seed: rest.seed ?? 20261122,
    keys: { clientId, centrePrivateKeyHex: centreKeys.privateKey, stationPublicKeyHex: station.publicKey },
  });
  return {
    centre,
    region,
    clientId,
    station: { privateKeyHex: station.privateKey, publicKeyHex: station.publicKey },
    centrePublicKeyHex: centreKeys.publicKey,
    stationConfig: (overrides = {}) => ({
      baseUrl: centre.url,
      urlStyle: 'per-infno',
      profile: options.profile ?? 'sm',
      institution: { ...FIXTURE_INSTITUTION },
      centreRegion: region,
      recerSysCode: 'SIM',
      timeoutMs: 2_000,
      clientId,
      stationPrivateKeyHex: station.privateKey,
      centrePublicKeyHex: centreKeys.publicKey,
      ...overrides,
    }),
  };
}
