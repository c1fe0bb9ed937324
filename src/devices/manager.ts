/**
 * All devices of one station, built from its configuration: one driver per configured device, their events
 * merged into one stream each (status, warnings, scans, self-service starts), and the commands the station
 * calls — read a card, verify a face, test a device — routed by role to the right device.
 *
 * Scans carry the raw code and its kind; card reads and verifications return personal data. What of it
 * leaves the main process is the caller's decision; activity summaries for the IT panel are masked here.
 */
import { formatYuan } from '../shared/money';
import { SCAN_KIND_LABELS, type DeviceRole, type DeviceStatusView, type DeviceTestView, type ScanKind } from '../shared/domain';
import { classifyCode, type ClassifyRules } from './classify';
import { createDriver, type RoleDriver } from './drivers/create-driver';
import type { DeviceDriver, ScannerDriver } from './drivers/device-driver';
import type { ReconnectTiming } from './drivers/reconnecting-link';
import { DEVICE_ERROR_TEXT, DeviceError, isDeviceError } from './errors';
import { DisposableStore, Emitter } from '../shared/lifecycle';
import { maskName, maskNumber } from './masking';
import { DeviceConfigListSchema, type DeviceConfig } from './models';
import { cardHolderQuery, type CardHolderQuery, type ResidentIdCard, type SocialSecurityCard } from './parsers/card-info';
import type { FaceIdentity, FaceSessionEvent, SessionCommand } from './parsers/face-messages';
import { createKoffiCardLibraryLoader, type CardLibraryLoader } from './transports/card-library';
import { createNodeHidTransport, type HidTransport } from './transports/hid-transport';
import type { SerialTransport } from './transports/serial-transport';

/** One transport per kind of link. HID and FFI default to node-hid and koffi, created only when needed. */
export interface DeviceTransports {
  serial: SerialTransport;
  hid?: HidTransport;
  cardLibraries?: CardLibraryLoader;
}

export interface DeviceManagerOptions {
  /** validated here with DeviceConfigListSchema; an invalid list throws (a ZodError naming the field) */
  devices: readonly DeviceConfig[];
  transports: DeviceTransports;
  classifyRules?: Partial<ClassifyRules>;
  timing?: Partial<ReconnectTiming>;
  monotonicNow?: () => number;
  wallNow?: () => number;
  platform?: NodeJS.Platform;
}

export interface DeviceWarningEvent {
  deviceId: string;
  message: string;
  at: string;
}

export interface DeviceScan {
  deviceId: string;
  /** the raw code: stays in the main process */
  code: string;
  kind: ScanKind;
  /** monotonic ms (performance.now) when the code's last byte was read */
  receivedAt: number;
}

/** A patient started at a face terminal on their own (HX-T1): the station runs self-service for them. */
export interface DeviceSelfService {
  deviceId: string;
  sessionId: string;
  at: string;
}

/** What the patient did at a face terminal during a self-service session (HX-T1); a payment code stays in the main process. */
export type DeviceFaceSessionEvent = FaceSessionEvent & { deviceId: string };

/** A command a device carried out, for the IT panel's traffic list; masked, Chinese. */
export interface DeviceActivity {
  deviceId: string;
  ok: boolean;
  summary: string;
  at: string;
}

export interface CardRead {
  deviceId: string;
  card: SocialSecurityCard;
  /** the 1101 inputs: mdtrt_cert_type 03, card number, card id code, insured region */
  query: CardHolderQuery;
}

export interface FaceVerification {
  deviceId: string;
  identity: FaceIdentity;
}

/** How long an admin's test read waits for a code to be presented, a card to be read. */
export const DEVICE_TEST_TIMEOUT_MS = 15_000;

type DriverOf<R extends DeviceRole> = Extract<RoleDriver, { role: R }>['driver'];

export class DeviceManager {
  private readonly statuses = new Emitter<DeviceStatusView>();
  private readonly warnings = new Emitter<DeviceWarningEvent>();
  private readonly scans = new Emitter<DeviceScan>();
  private readonly selfServices = new Emitter<DeviceSelfService>();
  private readonly faceSessions = new Emitter<DeviceFaceSessionEvent>();
  private readonly activities = new Emitter<DeviceActivity>();
  private readonly devices: RoleDriver[];
  private readonly subscriptions = new DisposableStore();
  private readonly wallNow: () => number;
  private started = false;
  private disposed = false;
  private disposal: Promise<void> | undefined;

  readonly onStatus = this.statuses.event;
  readonly onWarning = this.warnings.event;
  readonly onScan = this.scans.event;
  readonly onSelfService = this.selfServices.event;
  readonly onFaceSession = this.faceSessions.event;
  readonly onActivity = this.activities.event;

  constructor(options: DeviceManagerOptions) {
    const configs = DeviceConfigListSchema.parse(options.devices);
    this.wallNow = options.wallNow ?? Date.now;
    let hid = options.transports.hid;
    let cardLibraries = options.transports.cardLibraries;
    const context = {
      serial: options.transports.serial,
      hid: () => (hid ??= createNodeHidTransport()),
      cardLibraries: () => (cardLibraries ??= createKoffiCardLibraryLoader()),
      timing: options.timing,
      monotonicNow: options.monotonicNow,
      wallNow: options.wallNow,
      platform: options.platform,
    };
    this.devices = configs.map((config) => createDriver(config, context));
    for (const device of this.devices) this.forwardEvents(device, options.classifyRules);
  }

  /** Opens every device; status events report how each one fares. */
  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    for (const { driver } of this.devices) driver.start();
  }

  list(): DeviceStatusView[] {
    return this.devices.map(({ driver }) => driver.statusView());
  }

  /** Reads the social-security card in `deviceId`, or in the station's connected card reader. */
  async readCard(deviceId?: string): Promise<CardRead> {
    const driver = this.pick('card-reader', deviceId);
    const card = await this.track(
      driver.id,
      driver.readCard(),
      (read) => `读卡成功：${maskName(read.name)}，卡号 ${maskNumber(read.cardNo)}`,
    );
    return { deviceId: driver.id, card, query: cardHolderQuery(card) };
  }

  async readIdCard(deviceId?: string): Promise<{ deviceId: string; card: ResidentIdCard }> {
    const driver = this.pick('card-reader', deviceId);
    const card = await this.track(driver.id, driver.readIdCard(), (read) => `读身份证成功：${maskName(read.name)}`);
    return { deviceId: driver.id, card };
  }

  /** Asks the face terminal `deviceId` (or the station's connected one) to verify the patient for `outBizNo`. */
  async faceVerify(deviceId: string | undefined, request: { outBizNo: string }): Promise<FaceVerification> {
    const driver = this.pick('face-terminal', deviceId);
    const identity = await this.track(driver.id, driver.verify(request), (id) => `刷脸核验通过：${maskName(id.userName)}`);
    return { deviceId: driver.id, identity };
  }

  /** The bank-card POS terminal `deviceId` (or the station's connected one), for the card payment's movements. */
  posTerminal(deviceId?: string): DriverOf<'pos-terminal'> {
    return this.pick('pos-terminal', deviceId);
  }

  /**
   * Sends a self-service session command to the face terminal `deviceId` (HX-T1) and resolves with the
   * sequence number it carried. Reported to the activity stream like every command (the IT panel's 'command'
   * frames), with the screen's title and amounts only.
   */
  faceSession(deviceId: string, command: SessionCommand): Promise<number> {
    const driver = this.pick('face-terminal', deviceId);
    return this.track(
      driver.id,
      driver.sendSession(command),
      () => sessionSummary(command),
      () => `${sessionSummary(command)}：`,
    );
  }

  /**
   * The IT panel's test: a scan box waits for a code to be presented, a card reader reads the card on it, a
   * face terminal answers who it is. Never rejects: the outcome is in `ok` and `detail`.
   */
  async testRead(deviceId: string, { timeoutMs = DEVICE_TEST_TIMEOUT_MS } = {}): Promise<DeviceTestView> {
    const view = (ok: boolean, detail: string): DeviceTestView => ({ deviceId, ok, detail, at: this.now() });
    const device = this.devices.find(({ driver }) => driver.id === deviceId);
    if (!device) return view(false, DEVICE_ERROR_TEXT['not-configured']);
    try {
      switch (device.role) {
        case 'qr-scanner':
          return view(true, await this.nextScan(device.driver, timeoutMs));
        case 'card-reader': {
          const { card } = await this.readCard(deviceId);
          return view(true, `读卡成功：${maskName(card.name)}，卡号 ${maskNumber(card.cardNo)}，发卡地区 ${card.region}`);
        }
        case 'face-terminal': {
          const info = await device.driver.ping();
          return view(true, `终端应答：${info.model}，固件 ${info.firmware}，序列号 ${maskNumber(info.serial)}`);
        }
        case 'pos-terminal':
          return view(true, `终端应答：${await device.driver.whoAreYou()}`);
      }
    } catch (error) {
      if (isDeviceError(error, 'no-card')) return view(false, '读卡器有应答，但未检测到卡片，请插卡后重试');
      return view(false, isDeviceError(error) ? error.message : DEVICE_ERROR_TEXT['device-error']);
    }
  }

  /** Closes every device; resolves when all are closed and no timer is left. Idempotent. */
  dispose(): Promise<void> {
    this.disposal ??= this.release();
    return this.disposal;
  }

  private async release(): Promise<void> {
    this.disposed = true;
    this.subscriptions.dispose();
    await Promise.all(this.devices.map(({ driver }) => driver.dispose()));
    for (const emitter of [this.statuses, this.warnings, this.scans, this.selfServices, this.faceSessions, this.activities])
      emitter.dispose();
  }

  /**
   * The device of `role`: the one named, else the first connected one, else the first configured one. Its
   * state is not checked here: a driver refuses at once what it cannot try (no port, no library), and an
   * attempt is how a reader that reported itself missing is found back.
   */
  private pick<R extends DeviceRole>(role: R, deviceId: string | undefined): DriverOf<R> {
    if (this.disposed) throw new DeviceError('disposed');
    const ofRole = this.devices.filter((device) => device.role === role);
    const chosen =
      deviceId === undefined
        ? (ofRole.find(({ driver }) => driver.statusView().state === 'connected') ?? ofRole[0])
        : this.devices.find(({ driver }) => driver.id === deviceId);
    if (!chosen) throw new DeviceError('not-configured');
    if (chosen.role !== role) throw new DeviceError('wrong-role');
    return chosen.driver as DriverOf<R>;
  }

  private requireConnected(driver: DeviceDriver): void {
    const { state, detail } = driver.statusView();
    if (state !== 'connected') throw new DeviceError('offline', detail ? `${DEVICE_ERROR_TEXT.offline}：${detail}` : undefined);
  }

  /** Reports a command's outcome to the activity stream, masked. */
  private async track<T>(
    deviceId: string,
    command: Promise<T>,
    summarize: (value: T) => string,
    failurePrefix: () => string = () => '',
  ): Promise<T> {
    try {
      const value = await command;
      this.activities.fire({ deviceId, ok: true, summary: summarize(value), at: this.now() });
      return value;
    } catch (error) {
      const summary = failurePrefix() + (isDeviceError(error) ? error.message : DEVICE_ERROR_TEXT['device-error']);
      this.activities.fire({ deviceId, ok: false, summary, at: this.now() });
      throw error;
    }
  }

  private nextScan(scanner: ScannerDriver, timeoutMs: number): Promise<string> {
    this.requireConnected(scanner);
    return new Promise((resolve, reject) => {
      const subscription = this.onScan((scan) => {
        if (scan.deviceId !== scanner.id) return;
        finish();
        resolve(`读到${SCAN_KIND_LABELS[scan.kind]}（${scan.code.length}位）`);
      });
      const timer = setTimeout(() => {
        finish();
        reject(new DeviceError('timeout', `${Math.round(timeoutMs / 1000)} 秒内未读到条码`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        subscription.dispose();
      };
    });
  }

  private forwardEvents(device: RoleDriver, rules: Partial<ClassifyRules> | undefined): void {
    const { driver } = device;
    const deviceId = driver.id;
    this.subscriptions.add(driver.onStatus((status) => this.statuses.fire(status)));
    this.subscriptions.add(driver.onWarning(({ message, at }) => this.warnings.fire({ deviceId, message, at })));
    if (device.role === 'qr-scanner') {
      this.subscriptions.add(
        device.driver.onCode((code, receivedAt) => this.scans.fire({ deviceId, code, kind: classifyCode(code, rules), receivedAt })),
      );
    }
    if (device.role === 'face-terminal') {
      this.subscriptions.add(
        device.driver.onSelfService(({ sessionId }) => this.selfServices.fire({ deviceId, sessionId, at: this.now() })),
      );
      this.subscriptions.add(device.driver.onSessionEvent((event) => this.faceSessions.fire({ ...event, deviceId })));
    }
  }

  private now(): string {
    return new Date(this.wallNow()).toISOString();
  }
}

const SESSION_SCREEN_LABELS = { orders: '待缴费用', split: '结算明细', paying: '处理中', result: '结果', error: '提示' } as const;
const SESSION_END_LABELS = { completed: '完成', cancelled: '患者取消', timeout: '超时', failed: '未完成', busy: '终端忙' } as const;

/**
 * A session command for the traffic list: the kind of screen, its title and amounts — never a name or a code.
 * Also called for a command the driver refused as malformed, so it trusts none of its fields.
 */
function sessionSummary(command: SessionCommand): string {
  const yuan = (amount: number) => (Number.isSafeInteger(amount) ? formatYuan(amount) : '金额无效');
  const label = (labels: Record<string, string>, key: string) => labels[key] ?? '—';
  switch (command.type) {
    case 'session.show': {
      const { screen, title, totalFen, cashFen } = command.screen;
      const amounts = [
        totalFen === undefined ? '' : `，合计 ${yuan(totalFen)}`,
        cashFen === undefined ? '' : `，现金 ${yuan(cashFen)}`,
      ].join('');
      return `自助会话 ${command.sessionId} 显示「${title}」（${label(SESSION_SCREEN_LABELS, screen)}${amounts}）`;
    }
    case 'session.paycode':
      return `自助会话 ${command.sessionId} 请患者出示付款码（${yuan(command.amountFen)}）`;
    case 'session.end':
      return `自助会话 ${command.sessionId} 结束（${label(SESSION_END_LABELS, command.reason)}）`;
  }
}
