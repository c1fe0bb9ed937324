/**
 * The StationApi: one contract typing both ends of every bridge (Electron IPC and the loopback WebSocket
 * host). Each operation names its input schema and the roles allowed to call it; the core validates and
 * checks roles itself, so hidden buttons are never the only guard.
 */
import { z } from 'zod';
import type { Result } from './result';
import { EVENT_NAMES, OPERATION_NAMES, subscriptionName, type OperationName, type StationEventName } from './api-names';

export { EVENT_NAMES, OPERATION_NAMES, subscriptionName, type OperationName, type StationEventName };
import type {
  AuditEntryView,
  ConnectivityView,
  DeviceFrameView,
  DeviceStatusView,
  DeviceTestView,
  IntentView,
  OrderView,
  OutboxSummary,
  StorageAlarmView,
  OperatorView,
  PatientView,
  ReceiptView,
  Role,
  ScanEvent,
  StationInfo,
} from './domain';

/** Who may call: nobody signed in, any signed-in operator, or the listed roles. */
export type Access = 'public' | 'operator' | readonly Role[];

const Empty = z.object({}).strict();

export const LoginInput = z
  .object({
    login: z.string().trim().min(1, '请输入工号').max(32),
    password: z.string().min(1, '请输入密码').max(128),
  })
  .strict();

export const IdentifyInput = z.discriminatedUnion('method', [
  /** a code the station's own scan box read; the renderer only knows its id */
  z.object({ method: z.literal('scan'), scanId: z.string().uuid() }).strict(),
  /** the social-security card in the station's card reader (mdtrt_cert_type 03, HX-01) */
  z
    .object({
      method: z.literal('card'),
      deviceId: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/)
        .optional(),
    })
    .strict(),
  /** the patient verifies at the face terminal, which yields an e-voucher token (mdtrt_cert_type 01) */
  z
    .object({
      method: z.literal('face'),
      deviceId: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/)
        .optional(),
    })
    .strict(),
  /** ID-card number typed by the cashier (mdtrt_cert_type 02) */
  z
    .object({
      method: z.literal('idcard'),
      certNo: z
        .string()
        .trim()
        .regex(/^\d{17}[\dXx]$/, '身份证号应为18位'),
      insuredRegion: z
        .string()
        .regex(/^\d{6}$/)
        .optional(),
    })
    .strict(),
]);

const DeviceId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, '设备编号无效');

export const DeviceTestInput = z.object({ deviceId: DeviceId }).strict();
export const DeviceFramesInput = z.object({ deviceId: DeviceId, limit: z.number().int().min(1).max(200).default(50) }).strict();

export const OrdersInput = z.object({ identificationId: z.string().uuid() }).strict();
export const OrderInput = z.object({ orderId: z.string().uuid() }).strict();
export const PayByQrInput = z.object({ orderId: z.string().uuid(), wallet: z.enum(['wechat', 'alipay']).optional() }).strict();
export const PayByCodeInput = z.object({ orderId: z.string().uuid(), scanId: z.string().uuid() }).strict();

const IntentId = z.string().uuid();
export const IntentListInput = z
  .object({ scope: z.enum(['open', 'all']).default('open'), limit: z.number().int().min(1).max(500).default(100) })
  .strict();
export const IntentRetryInput = z.object({ intentId: IntentId }).strict();
export const IntentDecisionInput = z
  .object({
    intentId: IntentId,
    /** after checking with the remote by other means: it happened there / it did not / try automatically again */
    decision: z.enum(['happened', 'did-not-happen', 'resume']),
    note: z.string().trim().min(4, '请写明核实依据（至少4个字）').max(500),
  })
  .strict();

export const AuditListInput = z
  .object({
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();

export const operations = {
  stationInfo: { input: Empty, access: 'public' },
  login: { input: LoginInput, access: 'public' },
  logout: { input: Empty, access: 'operator' },
  currentOperator: { input: Empty, access: 'public' },
  listDevices: { input: Empty, access: 'operator' },
  getConnectivity: { input: Empty, access: 'operator' },
  identifyPatient: { input: IdentifyInput, access: ['cashier', 'doctor', 'nurse'] },
  testDevice: { input: DeviceTestInput, access: ['admin'] },
  recentDeviceFrames: { input: DeviceFramesInput, access: ['admin'] },
  listOrders: { input: OrdersInput, access: ['cashier', 'doctor', 'nurse'] },
  preSettleOrder: { input: OrderInput, access: ['cashier', 'doctor', 'nurse'] },
  settleOrder: { input: OrderInput, access: ['cashier', 'doctor', 'nurse'] },
  payOrderByCode: { input: PayByCodeInput, access: ['cashier', 'doctor', 'nurse'] },
  cancelOrderSettlement: { input: OrderInput, access: ['cashier', 'admin'] },
  payOrderByQr: { input: PayByQrInput, access: ['cashier', 'doctor', 'nurse'] },
  cancelOrderPayment: { input: OrderInput, access: ['cashier', 'doctor', 'nurse'] },
  selfPayOrder: { input: OrderInput, access: ['cashier', 'doctor', 'nurse'] },
  listTodayOrders: { input: Empty, access: ['cashier', 'doctor', 'nurse', 'admin'] },
  getReceipt: { input: OrderInput, access: ['cashier', 'doctor', 'nurse', 'admin'] },
  exportReceiptPdf: { input: OrderInput, access: ['cashier', 'doctor', 'nurse', 'admin'] },
  outboxSummary: { input: Empty, access: 'operator' },
  storageStatus: { input: Empty, access: 'operator' },
  listIntents: { input: IntentListInput, access: ['admin'] },
  retryIntent: { input: IntentRetryInput, access: ['admin'] },
  decideIntent: { input: IntentDecisionInput, access: ['admin'] },
  listOperators: { input: Empty, access: ['admin'] },
  listAudit: { input: AuditListInput, access: ['admin'] },
} as const satisfies Record<OperationName, { input: z.ZodType; access: Access }>;

export interface OperationOutputs {
  stationInfo: StationInfo;
  login: OperatorView;
  logout: null;
  currentOperator: OperatorView | null;
  listDevices: DeviceStatusView[];
  getConnectivity: ConnectivityView;
  identifyPatient: PatientView;
  testDevice: DeviceTestView;
  recentDeviceFrames: DeviceFrameView[];
  listOrders: OrderView[];
  preSettleOrder: OrderView;
  settleOrder: OrderView;
  payOrderByCode: OrderView;
  cancelOrderSettlement: OrderView;
  payOrderByQr: OrderView;
  cancelOrderPayment: OrderView;
  selfPayOrder: OrderView;
  listTodayOrders: OrderView[];
  getReceipt: ReceiptView;
  exportReceiptPdf: { fileName: string; path: string; bytes: number };
  outboxSummary: OutboxSummary;
  storageStatus: StorageAlarmView;
  listIntents: IntentView[];
  retryIntent: IntentView;
  decideIntent: IntentView;
  listOperators: OperatorView[];
  listAudit: AuditEntryView[];
}

export type OperationInput<K extends OperationName> = z.input<(typeof operations)[K]['input']>;
export type OperationArgs<K extends OperationName> = z.output<(typeof operations)[K]['input']>;

/** Events the core pushes to the screens. */
export interface StationEventMap {
  deviceStatus: DeviceStatusView;
  deviceWarning: { deviceId: string; message: string; at: string };
  scan: ScanEvent;
  connectivity: ConnectivityView;
  outboxAlarm: OutboxSummary;
  storageAlarm: StorageAlarmView;
  orderUpdated: OrderView;
  sessionEnded: { reason: 'logout' | 'expired' };
}
// Every event name has a payload type, and no payload type lacks a name.
type _EventsComplete = [keyof StationEventMap] extends [StationEventName]
  ? [StationEventName] extends [keyof StationEventMap]
    ? true
    : never
  : never;
export const EVENTS_COMPLETE: _EventsComplete = true;

export type Unsubscribe = () => void;

export type StationCalls = {
  [K in OperationName]: (input: OperationInput<K>) => Promise<Result<OperationOutputs[K]>>;
};
export type StationSubscriptions = {
  [E in StationEventName as `on${Capitalize<E>}`]: (listener: (payload: StationEventMap[E]) => void) => Unsubscribe;
};

/**
 * What the renderer holds as `window.station`: one function per operation and one `onX(cb)` per event,
 * each returning an unsubscribe. The Electron preload and the WebSocket client both `satisfies` it.
 */
export type StationApi = StationCalls & StationSubscriptions;

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.hasOwn(operations, name);
}

export function isEventName(name: unknown): name is StationEventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}

export function mayCall(access: Access, role: Role | null): boolean {
  if (access === 'public') return true;
  if (role === null) return false;
  if (access === 'operator') return true;
  return access.includes(role);
}
