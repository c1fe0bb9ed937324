/**
 * The simulated e-bill gateway (Bosssoft 医疗电子票据管理平台 and the fiscal platform behind it), over HTTP on
 * 127.0.0.1 with its own ledger (ledger.ts), written apart from the station's client:
 *
 *   POST {url}/medical-web/api/medical/<service>   {appid, data, noise, version, sign}
 *
 * Faults, per service, for the next `times` calls — what each does to the ledger is what the station relies on:
 *   lose-answer            processed and committed; the connection is destroyed instead of answering
 *   timeout-before-commit  nothing committed; no answer at all (the client's deadline passes)
 *   http-500               nothing committed; a gateway-style HTTP 500 page
 *   refuse                 nothing committed; a signed business refusal
 *   bad-sign               processed and committed; the answer's signature does not verify
 */
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { seededRandom } from '../nhsa/random';
import { parseObject, startJsonServer, type Exchange } from '../pay-channel/http-server';
import { answerEnvelope, fromBase64, md5Sign } from './envelope';
import { EBillLedger, type Done, type SimBill, type SimBook } from './ledger';
import { ByBusNoSchema, IssueSchema, StatesSchema, TotalsSchema, WriteOffSchema, admit } from './requests';

export const EBILL_SIM_SERVICES = [
  'invoiceEBillOutpatient',
  'invEBillHospitalized',
  'getEBillByBusNo',
  'writeOffEBill',
  'getEBillStatesByBillInfo',
  'checkTotalData',
] as const;
export type EBillSimService = (typeof EBILL_SIM_SERVICES)[number];
export type EBillFaultKind = 'lose-answer' | 'timeout-before-commit' | 'http-500' | 'refuse' | 'bad-sign';

export interface EBillSimulatorOptions {
  port?: number;
  apps: { appId: string; appKey: string }[];
  seed?: number;
  now?: () => Date;
  /** Where the patient's H5 pages of the bills are said to be. */
  pageBase?: string;
  /** A JSON file the books are kept in across restarts (the training gateway); absent: memory only. */
  statePath?: string;
}

export interface EBillSimulatorControl {
  bills(): SimBill[];
  books(): SimBook[];
  /** An insurer or employer reimbursed the bill (已报销入账); false when there is no such bill. */
  setReimbursed(billBatchCode: string, billNo: string): boolean;
  fault(service: EBillSimService, kind: EBillFaultKind, times?: number): void;
  /** From now on, each call of `service` meets `kind` with this probability (seeded), after any counted fault. */
  faultSometimes(service: EBillSimService, kind: EBillFaultKind, probability: number): void;
  /** Every request that reached a service, oldest first: what it was and what it met. */
  calls(): { service: string; fault?: EBillFaultKind; result?: string }[];
}

export interface EBillSimulator {
  /** The gateway's base URL: the client posts to `${url}/medical-web/api/medical/<service>`. */
  url: string;
  control: EBillSimulatorControl;
  close(): Promise<void>;
}

const PREFIX = '/medical-web/api/medical/';

const SavedRed = z.object({
  billBatchCode: z.string(),
  billNo: z.string(),
  random: z.string(),
  totalFen: z.number().int(),
  placeCode: z.string(),
  busDay: z.string(),
  createTime: z.string(),
  reason: z.string(),
});
/** The books' file, checked when read back (a damaged file is an error at start, not a silent empty ledger). */
const SavedBooks = z.object({
  bills: z.array(
    z.object({
      busNo: z.string(),
      busType: z.string(),
      placeCode: z.string(),
      busDay: z.string(),
      billBatchCode: z.string(),
      billNo: z.string(),
      random: z.string(),
      totalFen: z.number().int(),
      createTime: z.string(),
      state: z.enum(['1', '2']),
      isScarlet: z.boolean(),
      reimbursed: z.boolean(),
      red: SavedRed.optional(),
    }),
  ),
  sequences: z.array(z.tuple([z.string(), z.number().int()])),
});

export async function startEBillSimulator(opts: EBillSimulatorOptions): Promise<EBillSimulator> {
  const keys = new Map(opts.apps.map((a) => [a.appId, a.appKey]));
  const ledger = new EBillLedger(
    seededRandom(opts.seed ?? randomInt(2 ** 31)),
    opts.now ?? (() => new Date()),
    opts.pageBase ?? 'https://ebill.sim.invalid',
  );
  const { statePath } = opts;
  if (statePath && fs.existsSync(statePath)) ledger.load(SavedBooks.parse(JSON.parse(fs.readFileSync(statePath, 'utf8'))));
  const save = () => {
    if (!statePath) return;
    fs.mkdirSync(path.dirname(statePath), { recursive: true });
    fs.writeFileSync(`${statePath}.tmp`, JSON.stringify(ledger.state()));
    fs.renameSync(`${statePath}.tmp`, statePath);
  };
  const faults: { service: EBillSimService; kind: EBillFaultKind; remaining: number }[] = [];
  const rates: { service: EBillSimService; kind: EBillFaultKind; probability: number }[] = [];
  const faultRandom = seededRandom((opts.seed ?? randomInt(2 ** 31)) + 1);
  const log: ReturnType<EBillSimulatorControl['calls']> = [];

  const control: EBillSimulatorControl = {
    bills: () => ledger.bills(),
    books: () => ledger.books(),
    setReimbursed: (code, no) => {
      const found = ledger.setReimbursed(code, no);
      save();
      return found;
    },
    fault: (service, kind, times = 1) => void faults.push({ service, kind, remaining: times }),
    faultSometimes: (service, kind, probability) => void rates.push({ service, kind, probability }),
    calls: () => log.map((c) => ({ ...c })),
  };

  function takeFault(service: EBillSimService): EBillFaultKind | undefined {
    const rule = faults.find((f) => f.service === service && f.remaining > 0);
    if (rule) {
      rule.remaining -= 1;
      return rule.kind;
    }
    for (const r of rates) if (r.service === service && faultRandom() < r.probability) return r.kind;
    return undefined;
  }

  function run(service: EBillSimService, data: unknown): Done {
    const take = <T>(schema: z.ZodType<T>, then: (value: T) => Done): Done => {
      const admitted = admit(schema, data);
      return admitted.ok ? then(admitted.value) : admitted;
    };
    switch (service) {
      case 'invoiceEBillOutpatient':
      case 'invEBillHospitalized':
        return take(IssueSchema, (r) => ledger.issue(r, service));
      case 'getEBillByBusNo':
        return take(ByBusNoSchema, (r) => ledger.lookUp(r.busNo));
      case 'writeOffEBill':
        return take(WriteOffSchema, (r) => ledger.writeOff(r));
      case 'getEBillStatesByBillInfo':
        return take(StatesSchema, (r) => ledger.states(r.billBatchCode, r.billNo));
      case 'checkTotalData':
        return take(TotalsSchema, (r) => ledger.totals(r.placeCode, r.busDate));
    }
  }

  async function serve(exchange: Exchange): Promise<void> {
    const name = exchange.path.slice(PREFIX.length);
    const service = EBILL_SIM_SERVICES.find((s) => s === name);
    if (!exchange.path.startsWith(PREFIX) || !service) return exchange.answer(404, '{"error":"not found"}');
    const fault = takeFault(service);
    const entry: (typeof log)[number] = { service, ...(fault ? { fault } : {}) };
    log.push(entry);
    if (fault === 'timeout-before-commit') return; // never answered: the client's deadline passes, nothing booked
    if (fault === 'http-500') return exchange.answer(500, '<html><body>500 Internal Server Error</body></html>');

    const request = parseObject(exchange.body);
    const appid = typeof request?.appid === 'string' ? request.appid : '';
    const key = keys.get(appid);
    const reply = (result: string, message: string) => {
      entry.result = result;
      // An unknown app cannot be answered with a signature the caller could check.
      const signKey = key === undefined ? '' : fault === 'bad-sign' ? `${key}#` : key;
      return exchange.answer(200, answerEnvelope(appid, signKey, result, message));
    };
    if (key === undefined) return reply('E0001', '应用账号不存在');
    const { data, noise, version, sign } = request ?? {};
    if (typeof data !== 'string' || typeof noise !== 'string' || typeof version !== 'string' || typeof sign !== 'string')
      return reply('E0004', '参数校验失败：appid,data,noise,version,sign');
    if (md5Sign(appid, data, noise, version, key) !== sign) return reply('E0002', '签名验证失败');
    const text = fromBase64(data);
    const body = text === undefined ? undefined : parseObject(text);
    if (body === undefined) return reply('E0003', 'data参数解析失败');
    if (fault === 'refuse') return reply('E9001', '财政平台处理失败，请稍后重试');

    const done = run(service, body);
    if (done.ok) save();
    if (fault === 'lose-answer') {
      entry.result = done.ok ? 'S0000' : done.result;
      return exchange.drop();
    }
    return done.ok ? reply('S0000', JSON.stringify(done.message)) : reply(done.result, done.text);
  }

  const server = await startJsonServer({ name: 'ebill', port: opts.port, handle: serve });
  return { url: server.origin, control, close: () => server.close() };
}
