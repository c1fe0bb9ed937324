/**
 * Training mode's stand-ins for the outside world, started in-process: the NHSA centre simulator (its own
 * SQLite ledger in the data dir) and a QR scan box on a real pty pair driven by an emulator. The keys of both
 * ends are generated once per data dir, so a training station never uses a real hospital's key material.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sm2GenerateKeyPair, randomBytes, toHex } from '../insurance/crypto';
import { startNhsaCentre, TRAINING_VOUCHERS } from '../simulators/nhsa';
import { createPtyPair, isSocatAvailable, type PtyPair } from '../simulators/devices/pty-pair';
import { QrScannerEmulator } from '../simulators/devices/qr-scanner-emulator';
import type { StationConfigInput } from '../station/config';

export const TRAINING_INSTITUTION = { code: 'H35020300001', name: '厦门弘爱医院（培训）', admdvs: '350200' } as const;
export const TRAINING_KEY_FILE = 'keys/training-nhsa.json';
export const TRAINING_SCANNER_ID = 'scanbox-1';

interface TrainingKeys {
  clientId: string;
  stationPrivateKeyHex: string;
  stationPublicKeyHex: string;
  centrePrivateKeyHex: string;
  centrePublicKeyHex: string;
}

export type NhsaCentre = Awaited<ReturnType<typeof startNhsaCentre>>;

export interface TrainingRig {
  centre: NhsaCentre;
  pty: PtyPair | null;
  scanner: QrScannerEmulator | null;
  vouchers: typeof TRAINING_VOUCHERS;
  /** The station configuration that points at these stand-ins. */
  config: StationConfigInput;
  close(): Promise<void>;
}

export async function startTrainingRig(dataDir: string, opts: { nhsaTimeoutMs?: number } = {}): Promise<TrainingRig> {
  const keys = loadOrCreateTrainingKeys(path.join(dataDir, TRAINING_KEY_FILE));
  fs.mkdirSync(path.join(dataDir, 'simulators'), { recursive: true });
  const centre = await startNhsaCentre({
    port: 0,
    dbPath: path.join(dataDir, 'simulators', 'nhsa-centre.db'),
    keys: { clientId: keys.clientId, centrePrivateKeyHex: keys.centrePrivateKeyHex, stationPublicKeyHex: keys.stationPublicKeyHex },
    region: TRAINING_INSTITUTION.admdvs,
    profile: 'sm',
  });
  let pty: PtyPair | null = null;
  let scanner: QrScannerEmulator | null = null;
  if (isSocatAvailable()) {
    pty = await createPtyPair();
    scanner = new QrScannerEmulator(pty.devicePath, 'CR');
  } else {
    console.warn('[training] socat is not installed: no emulated scan box (apt-get install socat)');
  }
  const config: StationConfigInput = {
    stationId: 'training-01',
    institution: { ...TRAINING_INSTITUTION },
    nhsa: {
      baseUrl: centre.url,
      urlStyle: 'per-infno',
      profile: 'sm',
      centreRegion: TRAINING_INSTITUTION.admdvs,
      recerSysCode: 'TRAINING',
      timeoutMs: opts.nhsaTimeoutMs ?? 10_000,
      keyFile: TRAINING_KEY_FILE,
    },
    voucher: { baseUrl: centre.voucherUrl, timeoutMs: opts.nhsaTimeoutMs ?? 10_000 },
    devices: pty ? [{ id: TRAINING_SCANNER_ID, role: 'qr-scanner', model: 'cdc-9600-cr', path: pty.stationPath }] : [],
  };
  return {
    centre,
    pty,
    scanner,
    vouchers: TRAINING_VOUCHERS,
    config,
    close: async () => {
      await scanner?.close();
      await pty?.close();
      await centre.close();
    },
  };
}

function loadOrCreateTrainingKeys(file: string): TrainingKeys {
  if (!fs.existsSync(file)) {
    const station = sm2GenerateKeyPair();
    const centre = sm2GenerateKeyPair();
    const keys: TrainingKeys = {
      // 16 printable ASCII characters (the SM4 key of the sm profile): hex of 8 random bytes, upper-cased.
      clientId: toHex(randomBytes(8)).toUpperCase(),
      stationPrivateKeyHex: station.privateKeyHex,
      stationPublicKeyHex: station.publicKeyHex,
      centrePrivateKeyHex: centre.privateKeyHex,
      centrePublicKeyHex: centre.publicKeyHex,
    };
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600, flag: 'wx' });
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as TrainingKeys;
}
