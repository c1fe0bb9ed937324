/**
 * Training mode's stand-ins for the outside world, started in-process: the NHSA centre simulator (its own
 * SQLite ledger in the data dir) and a QR scan box on a real pty pair driven by an emulator. The keys of both
 * ends are generated once per data dir, so a training station never uses a real hospital's key material.
 */
import type { Logger } from '../station/log';
import fs from 'node:fs';
import path from 'node:path';
import { sm2GenerateKeyPair, randomBytes, toHex } from '../insurance/crypto';
import { startNhsaCentre, TRAINING_POLICY, TRAINING_VOUCHERS } from '../simulators/nhsa';
import { startHis, type HisSimulator } from '../simulators/his';
import { seedTrainingWard } from './training-ward';
import { startPayChannel, type PayChannelSimulator } from '../simulators/pay-channel';
import { startMessageGateway, type MessageGateway } from '../simulators/messages';
import { startEBillSimulator, type EBillSimulator } from '../simulators/ebill';
import { startMobilePayCentre, type MobilePayCentre } from '../simulators/mobile-pay';
import { createPtyPair, isSocatAvailable, type PtyPair } from '../simulators/devices/pty-pair';
import { QrScannerEmulator } from '../simulators/devices/qr-scanner-emulator';
import { SerialCardReaderEmulator } from '../simulators/devices/card-reader-emulator';
import { TRAINING_CARDS } from '../simulators/devices/training-cards';
import { FaceTerminalEmulator } from '../simulators/devices/face-terminal-emulator';
import { PosTerminalEmulator } from '../simulators/devices/pos-terminal-emulator';
import type { StationConfigInput } from '../station/config';

export const TRAINING_INSTITUTION = { code: 'H35020300001', name: '厦门弘爱医院（培训）', admdvs: '350200' } as const;
export const TRAINING_KEY_FILE = 'keys/training-nhsa.json';
export const TRAINING_SCANNER_ID = 'scanbox-1';
export const TRAINING_READER_ID = 'reader-1';
export const TRAINING_FACE_ID = 'face-1';
export const TRAINING_POS_ID = 'pos-1';

interface TrainingKeys {
  hisAppSecret: string;
  payChannelKey: string;
  clientId: string;
  stationPrivateKeyHex: string;
  stationPublicKeyHex: string;
  centrePrivateKeyHex: string;
  centrePublicKeyHex: string;
  /** The mobile-payment channel's (医保移动支付): added to a training key file from before it was simulated. */
  mobilePayAppId: string;
  mobilePayAppSecret: string;
  mobilePayPrivateKeyHex: string;
  mobilePayPublicKeyHex: string;
  mobilePayCentrePrivateKeyHex: string;
  mobilePayCentrePublicKeyHex: string;
  /** The e-bill gateway's app key (财政电子票据): added to a training key file from before it was simulated. */
  ebillAppKey: string;
}

export type NhsaCentre = Awaited<ReturnType<typeof startNhsaCentre>>;

/** 入院登记时限 in training (the regional rule in the simulator's policy is 3 days): see the centre's start below. */
export const TRAINING_REGISTRATION_DAYS = 30;

export const TRAINING_HIS_APP = 'YBSTATION01';
export const TRAINING_MCH_ID = '1900000109';
export const TRAINING_MOBILE_PAY_USER_ID = '1234567812345678';
export const TRAINING_EBILL_APP = 'YBSTATIONEBILL';
/** The training window's billing point (开票点) at the e-bill gateway. */
export const TRAINING_EBILL_PLACE = 'TRAINING01';

export interface TrainingRig {
  centre: NhsaCentre;
  his: HisSimulator;
  payChannel: PayChannelSimulator;
  /** The patient-message gateway (HX-27): what each patient's phone received. */
  messages: MessageGateway;
  /** The fiscal e-bill gateway (its own books, kept in the data dir): the bills of the day's settlements. */
  ebill: EBillSimulator;
  /** The NHSA mobile-payment centre (its own ledger); its callbacks go where `notifyMobilePayTo` says. */
  mobilePay: MobilePayCentre;
  notifyMobilePayTo(url: string): void;
  pty: PtyPair | null;
  scanner: QrScannerEmulator | null;
  /** The social-security card reader on its own pty; `insert(TRAINING_CARDS[i])` puts a card in. */
  cardReader: SerialCardReaderEmulator | null;
  cards: typeof TRAINING_CARDS;
  face: FaceTerminalEmulator | null;
  /** The bank-card POS terminal on its own pty, with its own ledger (what each card was charged and given back). */
  pos: PosTerminalEmulator | null;
  /**
   * The next face verification at the terminal will be this training person: the emulated terminal gets a
   * real one-off e-voucher token for them from the centre's voucher service, as the real terminal would.
   */
  presentFace(voucherIndex: number): Promise<{ name: string }>;
  vouchers: typeof TRAINING_VOUCHERS;
  /** The station configuration that points at these stand-ins. */
  config: StationConfigInput;
  close(): Promise<void>;
}

export async function startTrainingRig(
  dataDir: string,
  /** `ward`: seed the training ward (training-ward.ts) on the first start — `npm start` and the app; tests opt in. */
  opts: { nhsaTimeoutMs?: number; log?: Logger; ward?: boolean } = {},
): Promise<TrainingRig> {
  const keys = loadOrCreateTrainingKeys(path.join(dataDir, TRAINING_KEY_FILE));
  fs.mkdirSync(path.join(dataDir, 'simulators'), { recursive: true });
  const centre = await startNhsaCentre({
    port: 0,
    dbPath: path.join(dataDir, 'simulators', 'nhsa-centre.db'),
    keys: { clientId: keys.clientId, centrePrivateKeyHex: keys.centrePrivateKeyHex, stationPublicKeyHex: keys.stationPublicKeyHex },
    region: TRAINING_INSTITUTION.admdvs,
    profile: 'sm',
    // The training ward's stays were admitted days before a trainee opens them (and a training dir lives on): the
    // regional 3-day registration window would refuse every 医保入院登记 there after a day. 30 days keeps the ward usable
    // for a month between \`training reset\`s and still lets 自费转医保 be refused for a stay older than that.
    policy: { ...TRAINING_POLICY, admissionRegistrationDays: TRAINING_REGISTRATION_DAYS },
  });
  const his = await startHis({
    dbPath: path.join(dataDir, 'simulators', 'his.db'),
    apps: [{ appId: TRAINING_HIS_APP, secret: keys.hisAppSecret }],
  });
  // Training: a payment may be reversed at once (the vendors' 15 s minimum would only make trainees wait).
  const payChannel = await startPayChannel({
    dbPath: path.join(dataDir, 'simulators', 'pay-channel.db'),
    merchants: [{ mchId: TRAINING_MCH_ID, key: keys.payChannelKey }],
    rules: { minReverseAgeMs: 0 },
  });
  if (opts.ward) {
    try {
      await seedTrainingWard(his, payChannel, { mchId: TRAINING_MCH_ID, key: keys.payChannelKey });
    } catch (e) {
      await Promise.all([payChannel.close(), his.close(), centre.close()]);
      throw e;
    }
  }
  const messages = await startMessageGateway({
    dbPath: path.join(dataDir, 'simulators', 'messages.db'),
    merchants: [{ mchId: TRAINING_MCH_ID, key: keys.payChannelKey }],
  });
  const ebill = await startEBillSimulator({
    apps: [{ appId: TRAINING_EBILL_APP, appKey: keys.ebillAppKey }],
    statePath: path.join(dataDir, 'simulators', 'ebill.json'),
  });
  let mobileNotifyUrl: string | undefined;
  const mobilePay = await startMobilePayCentre({
    dbPath: path.join(dataDir, 'simulators', 'mobile-pay.db'),
    channel: {
      appId: keys.mobilePayAppId,
      appSecret: keys.mobilePayAppSecret,
      userId: TRAINING_MOBILE_PAY_USER_ID,
      centrePrivateKeyHex: keys.mobilePayCentrePrivateKeyHex,
      hospitalPublicKeyHex: keys.mobilePayPublicKeyHex,
    },
    orgCode: TRAINING_INSTITUTION.code,
    notifyUrl: () => mobileNotifyUrl,
    // One platform: a phone's settlement is in the NHSA centre's 3201/3202 books too.
    nhsaBook: centre.control.mobileBook,
  });
  let pty: PtyPair | null = null;
  let scanner: QrScannerEmulator | null = null;
  let readerPty: PtyPair | null = null;
  let cardReader: SerialCardReaderEmulator | null = null;
  let facePty: PtyPair | null = null;
  let face: FaceTerminalEmulator | null = null;
  let posPty: PtyPair | null = null;
  let pos: PosTerminalEmulator | null = null;
  if (isSocatAvailable()) {
    posPty = await createPtyPair();
    pos = new PosTerminalEmulator(posPty.devicePath);
    facePty = await createPtyPair();
    face = new FaceTerminalEmulator(facePty.devicePath);
    pty = await createPtyPair();
    scanner = new QrScannerEmulator(pty.devicePath, 'CR');
    readerPty = await createPtyPair();
    cardReader = new SerialCardReaderEmulator(readerPty.devicePath);
  } else {
    opts.log?.warn('socat is not installed: no emulated scan box (apt-get install socat)');
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
    his: { baseUrl: his.url, appId: TRAINING_HIS_APP, timeoutMs: opts.nhsaTimeoutMs ?? 10_000 },
    payChannel: { baseUrl: payChannel.url, mchId: TRAINING_MCH_ID, timeoutMs: opts.nhsaTimeoutMs ?? 10_000, payWindowMinutes: 30 },
    mobilePay: {
      baseUrl: mobilePay.url,
      appId: keys.mobilePayAppId,
      userId: TRAINING_MOBILE_PAY_USER_ID,
      timeoutMs: opts.nhsaTimeoutMs ?? 10_000,
    },
    messages: { baseUrl: messages.url, timeoutMs: opts.nhsaTimeoutMs ?? 10_000, detailsUrl: 'https://training.invalid/orders/{orderNo}' },
    ebill: { baseUrl: ebill.url, appId: TRAINING_EBILL_APP, placeCode: TRAINING_EBILL_PLACE, timeoutMs: opts.nhsaTimeoutMs ?? 10_000 },
    devices:
      pty && readerPty
        ? [
            { id: TRAINING_SCANNER_ID, role: 'qr-scanner', model: 'cdc-9600-cr', path: pty.stationPath },
            { id: TRAINING_READER_ID, role: 'card-reader', model: 'serial-sscard-115200', path: readerPty.stationPath },
            ...(facePty
              ? [{ id: TRAINING_FACE_ID, role: 'face-terminal' as const, model: 'face-jsonl-115200', path: facePty.stationPath }]
              : []),
            ...(posPty
              ? [{ id: TRAINING_POS_ID, role: 'pos-terminal' as const, model: 'pos-unionpay-9600', path: posPty.stationPath }]
              : []),
          ]
        : [],
  };
  return {
    centre,
    his,
    payChannel,
    messages,
    ebill,
    mobilePay,
    notifyMobilePayTo: (url) => (mobileNotifyUrl = url),
    pty,
    scanner,
    cardReader,
    cards: TRAINING_CARDS,
    face,
    pos,
    presentFace: async (voucherIndex) => {
      const v = TRAINING_VOUCHERS[voucherIndex % TRAINING_VOUCHERS.length]!;
      if (!face) throw new Error('没有模拟刷脸终端（未安装 socat）');
      const res = await fetch(`${centre.voucherUrl}/ec/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          transType: 'ec.query',
          orgId: TRAINING_INSTITUTION.code,
          data: { orgId: TRAINING_INSTITUTION.code, businessType: '01101', operatorId: 'face-1', operatorName: '刷脸终端', ecQrCode: v.qr },
        }),
      });
      const reply = (await res.json()) as { code: number; data: string };
      const id = JSON.parse(reply.data) as { ecToken: string; idNo: string; userName: string; insuOrg: string };
      face.nextVerification({ identity: { authNo: `AUTH${Date.now()}`, ...id } });
      return { name: v.name };
    },
    vouchers: TRAINING_VOUCHERS,
    config,
    close: async () => {
      await scanner?.close();
      await cardReader?.close();
      await face?.close();
      await facePty?.close();
      await pos?.close();
      await posPty?.close();
      await pty?.close();
      await readerPty?.close();
      await payChannel.close();
      await messages.close();
      await ebill.close();
      await mobilePay.close();
      await his.close();
      await centre.close();
    },
  };
}

function loadOrCreateTrainingKeys(file: string): TrainingKeys {
  if (!fs.existsSync(file)) {
    const station = sm2GenerateKeyPair();
    const centre = sm2GenerateKeyPair();
    const keys: Omit<TrainingKeys, MobilePayKeyName> = {
      hisAppSecret: toHex(randomBytes(16)),
      ebillAppKey: toHex(randomBytes(16)),
      payChannelKey: toHex(randomBytes(16)),
      // 16 printable ASCII characters (the SM4 key of the sm profile): hex of 8 random bytes, upper-cased.
      clientId: toHex(randomBytes(8)).toUpperCase(),
      stationPrivateKeyHex: station.privateKeyHex,
      stationPublicKeyHex: station.publicKeyHex,
      centrePrivateKeyHex: centre.privateKeyHex,
      centrePublicKeyHex: centre.publicKeyHex,
    };
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, JSON.stringify({ ...keys, ...mobilePayKeys() }, null, 2), { mode: 0o600, flag: 'wx' });
  }
  const keys = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<TrainingKeys> &
    Omit<TrainingKeys, 'hisAppSecret' | 'payChannelKey' | 'ebillAppKey' | MobilePayKeyName>;
  if (keys.hisAppSecret && keys.payChannelKey && keys.mobilePayAppId && keys.ebillAppKey) return keys as TrainingKeys;
  // A training data dir from before HIS, payments or mobile payment were simulated: add their secrets, keep the rest.
  const upgraded: TrainingKeys = {
    ...mobilePayKeys(),
    ...keys,
    hisAppSecret: keys.hisAppSecret ?? toHex(randomBytes(16)),
    payChannelKey: keys.payChannelKey ?? toHex(randomBytes(16)),
    ebillAppKey: keys.ebillAppKey ?? toHex(randomBytes(16)),
  };
  fs.writeFileSync(file, JSON.stringify(upgraded, null, 2), { mode: 0o600 });
  return upgraded;
}

type MobilePayKeyName = Exclude<keyof TrainingKeys, 'hisAppSecret' | 'payChannelKey' | 'ebillAppKey'> & `mobilePay${string}`;

function mobilePayKeys(): Pick<TrainingKeys, MobilePayKeyName> {
  const hospital = sm2GenerateKeyPair();
  const centre = sm2GenerateKeyPair();
  return {
    // 32 printable characters, as the centre issues channel ids.
    mobilePayAppId: toHex(randomBytes(16)).toUpperCase(),
    mobilePayAppSecret: toHex(randomBytes(16)),
    mobilePayPrivateKeyHex: hospital.privateKeyHex,
    mobilePayPublicKeyHex: hospital.publicKeyHex,
    mobilePayCentrePrivateKeyHex: centre.privateKeyHex,
    mobilePayCentrePublicKeyHex: centre.publicKeyHex,
  };
}
