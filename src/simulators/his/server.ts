/**
 * The simulated HIS (医院信息系统) integration gateway: JSON over HTTP with an app id and an HMAC signature,
 * its own SQLite ledger, seeded patients and prescriptions, and fault injection per service. It is the *other
 * side*: nothing here is shared with the station's client.
 *
 *   POST {url}/gateway      { app_id, service, request_id, timestamp, version, sign_type, biz_content, sign }
 *   POST {url}/__control    { op: 'inject', rule } | { op: 'clear' } | { op: 'requests' } | { op: 'prescribe', ... } |
 *                           { op: 'expire', orderNo } | { op: 'dispense', orderNo } | { op: 'orders' } | { op: 'settlements' } |
 *                           { op: 'register', patientId, deptCode? } | { op: 'consult', orderNo } |
 *                           { op: 'books' } | { op: 'disagree', settleId, change } | { op: 'agree' } | the ward's: admit, charge, takeBack, deposit, orderDischarge,
 *                           cancelAdmission, stays, wardBooks (ward-control.ts)
 */
import { z } from 'zod';
import {
  admitRequest,
  FAULT_COMMANDS,
  isFaultCommand,
  runFaultCommand,
  serveControl,
  startSimulator,
  type Route,
  type Simulator,
} from '../common/simulator-server';
import { beijing } from '../nhsa/clock';
import { FaultBook, type Fault, type FaultRule } from '../pay-channel/faults';
import { parseObject, type Exchange } from '../pay-channel/http-server';
import type { SkewChange } from './day-account';
import { HisLedger, type LineKey, type OrderRow, type PatientRow, type PaymentEntry, type SettlementRow } from './ledger';
import { DEPARTMENTS, PATIENTS, linesFor } from './seed';
import { scenarioOf } from './scenario-orders';
import { HisServices, SERVICE_NAMES, type ServiceAnswer, type ServiceName } from './services';
import { hisSign, hisVerify } from './sign';
import {
  runWardControl,
  WARD_CONTROL_OPS,
  wardControl,
  WardControlSchemas,
  type WardControl,
  type WardControlCommand,
} from './ward-control';
import { WardLedger } from './ward-ledger';
import { WARD_SERVICE_NAMES, WardServices, type WardServiceName } from './ward-services';

export interface HisOptions {
  port?: number;
  dbPath?: string;
  /** Integration apps allowed to call (the station is one). */
  apps: { appId: string; secret: string }[];
  now?: () => Date;
  /** How long an unpaid order stays payable; a day by default. */
  orderTtlMs?: number;
  /** Seed each patient with one round of their training scenario's orders on first start (default true). */
  seedOrders?: boolean;
}

export interface HisRequestLogEntry {
  service: string;
  requestId: string;
  verified: boolean;
  code?: string;
  fault?: Fault['kind'];
}

export interface Prescribe {
  patientId: string;
  deptCode?: string;
  /** One prescription per entry; each line a catalogue item and a decimal quantity. */
  prescriptions: { rxType?: string; lines: { hospCode: string; quantity: string }[] }[];
}

export interface HisControl {
  inject(rule: FaultRule): void;
  clear(): void;
  requests(): HisRequestLogEntry[];
  /** The doctor prescribes: a new unpaid order. Returns its order_no. */
  prescribe(p: Prescribe): string;
  /**
   * The next round for every patient with no unpaid order left (scenario-orders.ts): training goes on after a
   * class has settled everything. Returns the new order numbers.
   */
  refill(): string[];
  /**
   * The patient registers (挂号) at a clinic: a new unpaid order carrying the registration fee (普通门诊诊察费). Paid
   * like any order; refunded (退号) until the doctor has seen the patient. Returns its order_no.
   */
  register(r: { patientId: string; deptCode?: string }): string;
  /** The doctor sees the registered patient: the registration can no longer be refunded. */
  consult(orderNo: string): void;
  /** Expires an unpaid order now (the prescription was withdrawn or its day ended). */
  expire(orderNo: string): void;
  /**
   * The pharmacy hands out the order's drugs — or only the lines named (rx_no, line_no): a refund of the order, or
   * of those lines, is refused from now on.
   */
  dispense(orderNo: string, lines?: LineKey[]): void;
  patients(): PatientRow[];
  /** Registers more patients (a benchmark's or a test's synthetic ward), in one transaction. */
  addPatients(rows: readonly PatientRow[]): void;
  orders(): OrderRow[];
  order(orderNo: string): OrderRow | undefined;
  settlements(): SettlementRow[];
  /** Its books, read-only: every booking (settle.confirm / settle.selfpay) and whether it still stands. */
  books(): HisBooks;
  /** The inpatient side (住院): wards, stays, fee lines, deposits, discharge orders and the ward's books. */
  ward: WardControl;
  /** Makes the day's account (account.day) disagree on purpose: a booking dropped from it, or its amounts altered. */
  disagree(settleId: string, change: SkewChange): void;
  /** The day's account tells its books as they are again. */
  agree(): void;
}

/** One booking as HIS keeps it (amounts in fen). */
export interface HisBooking {
  settleId: string;
  orderNo: string;
  kind: 'insured' | 'selfpay';
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  cashFen: number;
  mdtrtId: string;
  setlId: string;
  payments: { channel: string; outTradeNo: string; amountFen: number }[];
  state: 'settled' | 'cancelled';
}

export interface HisBooks {
  bookings: HisBooking[];
  /** Refund applications (退费申请) and where each stands. */
  /** `lines`: how many lines a partial refund (部分退费) takes back; 0 for the whole bill. */
  refunds: { refundId: string; settleId: string; state: 'approved' | 'withdrawn' | 'done'; lines: number }[];
}

function bookingOf(r: SettlementRow): HisBooking {
  const payments = JSON.parse(r.payments) as PaymentEntry[];
  return {
    settleId: r.settle_id,
    orderNo: r.order_no,
    kind: r.kind,
    medfeeFen: r.medfee_fen,
    fundFen: r.fund_fen,
    acctFen: r.acct_fen,
    cashFen: r.cash_fen,
    mdtrtId: r.mdtrt_id,
    setlId: r.setl_id,
    payments: payments.map((p) => ({ channel: p.pay_channel, outTradeNo: p.out_trade_no, amountFen: p.amount_fen })),
    state: r.state,
  };
}

/** Base URL: POST `${url}/gateway`. */
export type HisSimulator = Simulator<HisControl>;

/** What a registration charges: the clinic's consultation fee (挂号诊察费). */
const REGISTRATION_FEE = { hospCode: 'F0001', quantity: '1' };

const BASE = '/his-api';

const ControlSchema = z.discriminatedUnion('op', [
  ...FAULT_COMMANDS,
  z.object({ op: z.literal('requests') }),
  z.object({
    op: z.literal('prescribe'),
    patientId: z.string(),
    deptCode: z.string().optional(),
    prescriptions: z
      .array(z.object({ rxType: z.string().optional(), lines: z.array(z.object({ hospCode: z.string(), quantity: z.string() })).min(1) }))
      .min(1),
  }),
  z.object({ op: z.literal('expire'), orderNo: z.string() }),
  z.object({ op: z.literal('register'), patientId: z.string(), deptCode: z.string().optional() }),
  z.object({ op: z.literal('consult'), orderNo: z.string() }),
  z.object({
    op: z.literal('dispense'),
    orderNo: z.string(),
    lines: z.array(z.object({ rx_no: z.string(), line_no: z.number().int() })).optional(),
  }),
  z.object({ op: z.literal('refill') }),
  z.object({ op: z.literal('orders') }),
  z.object({ op: z.literal('settlements') }),
  z.object({ op: z.literal('books') }),
  // account.day made to differ on purpose (day-account.ts), and agreeing again
  z.object({
    op: z.literal('disagree'),
    settleId: z.string().min(1),
    change: z.union([
      z.object({ drop: z.literal(true) }).strict(),
      z.object({ medfeeFen: z.number().int().min(0).optional(), cashFen: z.number().int().min(0).optional() }).strict(),
    ]),
  }),
  z.object({ op: z.literal('agree') }),
  ...WardControlSchemas,
]);

type ControlCommand = z.infer<typeof ControlSchema>;
const isWardCommand = (c: ControlCommand): c is WardControlCommand => WARD_CONTROL_OPS.has(c.op);

/** The inpatient books sit beside the outpatient file (its own database, as a hospital's 住院 subsystem often is). */
export const wardDbPath = (dbPath: string) => (dbPath === ':memory:' ? dbPath : `${dbPath.replace(/\.db$/, '')}-ward.db`);

export async function startHis(opts: HisOptions): Promise<HisSimulator> {
  const apps = new Map(opts.apps.map((a) => [a.appId, a.secret]));
  const ledger = new HisLedger(opts.dbPath ?? ':memory:');
  const faults = new FaultBook();
  const now = opts.now ?? (() => new Date());
  const orderTtlMs = opts.orderTtlMs ?? 24 * 3_600_000;
  const wardLedger = new WardLedger(wardDbPath(opts.dbPath ?? ':memory:'));
  const services = new HisServices(ledger, now, wardLedger);
  const patientOf = (patientId: string) => ledger.patientBy('patient_id', patientId);
  const wardServices = new WardServices(wardLedger, patientOf, now);
  const ward = wardControl(wardLedger, patientOf, now);
  const log: HisRequestLogEntry[] = [];

  function prescribe(p: Prescribe): string {
    return ledger.atomically(() => {
      if (!ledger.patientBy('patient_id', p.patientId)) throw new Error(`no patient ${p.patientId}`);
      const dept = DEPARTMENTS.find((d) => d.code === (p.deptCode ?? DEPARTMENTS[0].code));
      if (!dept) throw new Error(`no department ${p.deptCode}`);
      const at = now().getTime();
      const day = beijing(now()).day;
      const orderNo = `MZ${day}${String(ledger.nextSerial('order')).padStart(5, '0')}`;
      const prescriptions = p.prescriptions.map((rx, i) => {
        const rxNo = `${orderNo}R${i + 1}`;
        return { rx: { rx_no: rxNo, order_no: orderNo, rx_type: rx.rxType ?? 'western' }, lines: linesFor(rxNo, rx.lines) };
      });
      const total = prescriptions.reduce((sum, rx) => sum + rx.lines.reduce((s, l) => s + l.amount_fen, 0), 0);
      ledger.insertOrder(
        {
          order_no: orderNo,
          visit_no: `V${day}${String(ledger.nextSerial('visit')).padStart(5, '0')}`,
          patient_id: p.patientId,
          dept_code: dept.code,
          dept_name: dept.name,
          doctor_code: dept.doctor.code,
          doctor_name: dept.doctor.name,
          state: 'unpaid',
          total_fen: total,
          created_at: at,
          expire_at: at + orderTtlMs,
          changed_at: at,
          settle_id: null,
        },
        prescriptions,
      );
      return orderNo;
    });
  }

  /** One round of the patient's scenario: the orders a trainee settles in one go. */
  function prescribeRound(patientId: string): string[] {
    const scenario = scenarioOf(patientId);
    if (!scenario) return [];
    return scenario.round.map((order) => prescribe({ patientId, deptCode: order.deptCode, prescriptions: [{ lines: order.lines }] }));
  }

  function refill(): string[] {
    return ledger.atomically(() => {
      services.expireDue();
      const unpaid = new Set(ledger.orders({ state: 'unpaid' }).map((o) => o.patient_id));
      return ledger
        .patients()
        .filter((p) => !unpaid.has(p.patient_id))
        .flatMap((p) => prescribeRound(p.patient_id));
    });
  }

  if (ledger.isEmpty()) {
    ledger.atomically(() => PATIENTS.forEach((p) => ledger.insertPatient(p)));
    if (opts.seedOrders ?? true) for (const patient of PATIENTS) prescribeRound(patient.patient_id);
  }

  const control: HisControl = {
    inject: (rule) => faults.inject(rule),
    clear: () => faults.clear(),
    requests: () => log.map((e) => ({ ...e })),
    prescribe,
    register: (r) =>
      ledger.atomically(() => {
        const orderNo = prescribe({ ...r, prescriptions: [{ rxType: 'registration', lines: [REGISTRATION_FEE] }] });
        ledger.insertRegistration(orderNo);
        return orderNo;
      }),
    consult: (orderNo) =>
      ledger.atomically(() => {
        if (!ledger.registration(orderNo)) throw new Error(`order ${orderNo} is not a registration`);
        ledger.markConsulted(orderNo, now().getTime());
      }),
    refill,
    expire: (orderNo) =>
      ledger.atomically(() => {
        const order = ledger.order(orderNo);
        if (order?.state !== 'unpaid') throw new Error(`order ${orderNo} is not unpaid`);
        ledger.setOrderState(orderNo, 'expired', now().getTime(), null);
      }),
    dispense: (orderNo, lines) =>
      ledger.atomically(() => {
        if (ledger.order(orderNo)?.state !== 'paid') throw new Error(`order ${orderNo} is not paid`);
        if (lines) lines.forEach((l) => ledger.markLineDispensed(l, now().getTime()));
        else ledger.markDispensed(orderNo, now().getTime());
      }),
    patients: () => ledger.patients(),
    addPatients: (rows) => ledger.atomically(() => rows.forEach((r) => ledger.insertPatient(r))),
    orders: () => ledger.atomically(() => (services.expireDue(), ledger.orders())),
    order: (orderNo) => ledger.atomically(() => (services.expireDue(), ledger.order(orderNo))),
    settlements: () => ledger.settlements(),
    disagree: (settleId, change) => services.skew.disagree(settleId, change),
    agree: () => services.skew.agree(),
    ward,
    books: () => ({
      bookings: ledger.settlements().map(bookingOf),
      refunds: ledger
        .refundApplications()
        .map((r) => ({ refundId: r.refund_id, settleId: r.settle_id, state: r.state, lines: ledger.refundLines(r.refund_id).length })),
    }),
  };

  function reply(request: Record<string, unknown>, secret: string | undefined, answer: ServiceAnswer, fault?: Fault): string {
    const fields: Record<string, string> = {
      code: answer.ok ? '0' : answer.code,
      msg: answer.ok ? '成功' : answer.msg,
      request_id: typeof request.request_id === 'string' ? request.request_id : '',
      service: typeof request.service === 'string' ? request.service : '',
      timestamp: beijing(now()).display,
      biz_content: answer.ok ? JSON.stringify(answer.biz) : '',
    };
    if (secret === undefined) return JSON.stringify(fields);
    fields.sign_type = 'HMAC-SHA256';
    fields.sign = hisSign(fields, fault?.kind === 'bad-signature' ? `${secret}#` : secret);
    return JSON.stringify(fields);
  }

  async function serveGateway(exchange: Exchange): Promise<void> {
    const request = parseObject(exchange.body) ?? {};
    const service = typeof request.service === 'string' ? request.service : '';
    const fault = faults.take(service);
    const entry: HisRequestLogEntry = { service, requestId: String(request.request_id ?? ''), verified: false };
    const struck = admitRequest(exchange, fault, entry, log);
    if (struck) return struck;

    const secret = apps.get(String(request.app_id ?? ''));
    const refuse = (code: string, msg: string, key: string | undefined) => {
      entry.code = code;
      return exchange.answer(200, reply(request, key, { ok: false, code, msg }), fault);
    };
    if (secret === undefined) return refuse('APP_NOT_FOUND', '应用不存在', undefined);
    if (request.sign_type !== 'HMAC-SHA256' || !hisVerify(request, secret)) return refuse('SIGN_ERROR', '签名错误', secret);
    entry.verified = true;
    const isWard = (WARD_SERVICE_NAMES as string[]).includes(service);
    if (!isWard && !(SERVICE_NAMES as string[]).includes(service)) return refuse('SERVICE_NOT_FOUND', `服务 ${service} 不存在`, secret);
    const biz = typeof request.biz_content === 'string' ? parseObject(request.biz_content) : undefined;
    if (!biz) return refuse('PARAM_ERROR', 'biz_content 不是JSON对象', secret);
    const answer: ServiceAnswer =
      fault?.kind === 'system-error'
        ? { ok: false, code: 'SYSTEM_ERROR', msg: '系统繁忙' }
        : fault?.kind === 'refuse'
          ? { ok: false, code: fault.code, msg: fault.msg ?? '业务拒绝' }
          : isWard
            ? wardLedger.atomically(() => wardServices.handle(service as WardServiceName, biz))
            : ledger.atomically(() => services.handle(service as ServiceName, biz));
    entry.code = answer.ok ? '0' : answer.code;
    return exchange.answer(200, reply(request, secret, answer, fault), fault);
  }

  function runControl(c: ControlCommand): unknown {
    if (isFaultCommand(c)) return runFaultCommand(control, c);
    if (isWardCommand(c)) return runWardControl(ward, c);
    switch (c.op) {
      case 'requests':
        return control.requests();
      case 'prescribe': {
        const { op: _op, ...p } = c;
        return { orderNo: control.prescribe(p) };
      }
      case 'expire':
        return control.expire(c.orderNo);
      case 'register': {
        const { op: _op, ...r } = c;
        return { orderNo: control.register(r) };
      }
      case 'consult':
        return control.consult(c.orderNo);
      case 'dispense':
        return control.dispense(c.orderNo, c.lines);
      case 'refill':
        return { orderNos: control.refill() };
      case 'orders':
        return control.orders();
      case 'settlements':
        return control.settlements();
      case 'books':
        return control.books();
      case 'disagree':
        return control.disagree(c.settleId, c.change);
      case 'agree':
        return control.agree();
    }
  }

  const routes: Route[] = [
    ['/gateway', serveGateway],
    ['/__control', (exchange) => serveControl(exchange, ControlSchema, runControl)],
  ];
  return startSimulator({ name: 'his', port: opts.port, base: BASE, routes, control, closing: [ledger, wardLedger] });
}
