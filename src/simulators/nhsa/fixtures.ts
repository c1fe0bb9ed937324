/**
 * A centre on a random port with freshly generated keys, for tests and training mode. Returns the key
 * material the station side needs, as plain data.
 */
import { sm2 } from 'sm-crypto-v2';
import { startNhsaCentre, type NhsaCentre, type NhsaCentreOptions } from './centre';

export interface CentreFixture {
  centre: NhsaCentre;
  region: string;
  clientId: string;
  station: { privateKeyHex: string; publicKeyHex: string };
  centrePublicKeyHex: string;
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
  };
}
