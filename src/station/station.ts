/**
 * Hand-wired assembly of the core from its parts (no DI container): repositories over one SQLite file, the
 * login service, the identify workflow, and the handler table the Dispatcher serves. Ports (insurance,
 * devices) come in from the composition root so tests can drive the same core against simulators.
 */
import type { OperatorView, StationInfo } from '../shared/domain';
import { StationError } from '../shared/result';
import { Dispatcher, type Handlers } from './api/dispatcher';
import type { Db } from './store/database';
import { OperatorsRepo } from './store/operators-repo';
import { AuditRepo } from './store/audit-repo';
import { PersonsRepo } from './store/persons-repo';
import { LoginService, type LockoutPolicy } from './auth/login';
import type { FieldCipher } from './security/field-cipher';
import type { KdfCost } from './security/passwords';
import type { EventBus } from './events';
import type { ScanRegistry } from './scans';
import { identifyPatient } from './workflows/identify-patient';
import type { DeviceHub, InsuranceGateway } from './ports';

export interface StationParts {
  db: Db;
  cipher: FieldCipher;
  info: StationInfo;
  insurance: InsuranceGateway;
  devices: DeviceHub;
  bus: EventBus;
  scans: ScanRegistry;
  lockout: LockoutPolicy;
  kdfCost: KdfCost;
  now: () => Date;
  /** Closes what the composition root opened (simulators, devices, db), after the core stops. */
  onDispose?: () => Promise<void>;
}

export function createStation(parts: StationParts): Dispatcher {
  const operators = new OperatorsRepo(parts.db);
  const audit = new AuditRepo(parts.db, parts.info.stationId);
  const persons = new PersonsRepo(parts.db, parts.cipher);
  const login = new LoginService(operators, audit, parts.lockout, parts.kdfCost, parts.now);

  const signedIn = (session: { operator: OperatorView | null }) => {
    if (!session.operator) throw new StationError('UNAUTHENTICATED', '请先登录');
    return session.operator;
  };

  const handlers: Handlers = {
    stationInfo: () => parts.info,
    login: async ({ session }, args) => {
      if (session.operator) throw new StationError('CONFLICT', `已登录为 ${session.operator.name}，请先退出`);
      session.operator = await login.login(args.login, args.password);
      return session.operator;
    },
    logout: ({ session }) => {
      // The dispatcher owns session ends so the window hears about it; see Dispatcher.signOut.
      dispatcher.signOut(session, 'logout');
      return null;
    },
    currentOperator: ({ session }) => session.operator,
    listDevices: () => parts.devices.list(),
    getConnectivity: ({ session }) => parts.insurance.connectivity(session.operator),
    identifyPatient: ({ session }, args) =>
      identifyPatient(
        {
          db: parts.db,
          scans: parts.scans,
          insurance: parts.insurance,
          persons,
          devices: parts.devices,
          treatmentRegion: parts.info.treatmentRegion,
          now: parts.now,
        },
        signedIn(session),
        args,
      ),
    testDevice: async (_ctx, args) => {
      const device = parts.devices.list().find((d) => d.id === args.deviceId);
      if (!device) throw new StationError('NOT_FOUND', `没有编号为 ${args.deviceId} 的设备`);
      if (device.state !== 'connected') throw new StationError('DEVICE_OFFLINE', `${device.id} 未连接：${device.detail}`);
      return parts.devices.testRead(args.deviceId);
    },
    recentDeviceFrames: (_ctx, args) => {
      if (!parts.devices.list().some((d) => d.id === args.deviceId)) {
        throw new StationError('NOT_FOUND', `没有编号为 ${args.deviceId} 的设备`);
      }
      return parts.devices.recentFrames(args.deviceId, args.limit);
    },
    listOperators: () => operators.list(),
    listAudit: (_ctx, args) => audit.list(args.limit),
  };

  const dispatcher = new Dispatcher(
    handlers,
    audit,
    parts.bus,
    parts.now,
    async () => {
      await parts.onDispose?.();
    },
    (event, payload, session) =>
      (event === 'connectivity' ? parts.insurance.connectivity(session.operator) : payload) as typeof payload,
  );
  return dispatcher;
}
