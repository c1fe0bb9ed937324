/**
 * The simulated NHSA mobile-payment centre (医保移动支付中心): SM4/SM2 envelopes over JSON on 127.0.0.1, its own
 * SQLite ledger, a simulated patient who authorises on the phone (payAuthNo), the settlement callback with
 * retries, and fault injection. The other side: nothing here is shared with the station's client.
 *
 *   POST {url}/uldFeeInfo | pay_order | query_order_info | refund_Order | revoke_order   (6201 6202 6301 6203 6401)
 *   POST {url}/__control  { op: 'authorise', idNo, walletFen? } | { op: 'inject', rule } | { op: 'clear' } |
 *                         { op: 'replay', payOrdId } (a late duplicate callback)
 */
import { z } from 'zod';
import {
  admitRequest,
  FAULT_COMMANDS,
  isFaultCommand,
  runFaultCommand,
  serveControl,
  startSimulator,
  type Simulator,
} from '../common/simulator-server';
import type { MobileSettlementBook } from '../nhsa';
import { findByIdNo } from '../nhsa/population';
import { FaultBook, type Fault, type FaultRule } from '../pay-channel/faults';
import { parseObject, type Exchange } from '../pay-channel/http-server';
import { MobileCentreCrypto, type CentreChannel } from './crypto';
import { MobilePayLedger } from './ledger';
import { platformBooks } from './nhsa-books';
import { CallbackNotifier } from './notifier';
import { CentreOperations, type Answer } from './operations';

export const MOBILE_PAY_BASE = '/org/local/api/hos';

export const OPERATIONS = {
  uldFeeInfo: 'upload',
  pay_order: 'pay',
  query_order_info: 'query',
  refund_Order: 'refund',
  revoke_order: 'revoke',
} as const;
export type OperationPath = keyof typeof OPERATIONS;

export interface MobilePayCentreOptions {
  port?: number;
  dbPath?: string;
  channel: CentreChannel;
  orgCode: string;
  /** The hospital's callback URL, or where it is once known (training learns the service's port late); none: no callbacks. */
  notifyUrl?: string | (() => string | undefined);
  /** Pauses between callback attempts (default short, for tests and training). */
  notifyScheduleMs?: readonly number[];
  now?: () => number;
  /** The NHSA centre's books (its control's mobileBook): each paid order is booked there as the platform's settlement. */
  nhsaBook?: MobileSettlementBook;
}

export interface MobilePayControl {
  /** The patient authorises on the phone: the payAuthNo the hospital's page receives. */
  authorise(idNo: string, walletFen?: number): string;
  inject(rule: FaultRule): void;
  clear(): void;
  replay(payOrdId: string): Promise<boolean>;
  ledger: MobilePayLedger;
  requests: { op: string; fault?: Fault['kind'] }[];
}

export type MobilePayCentre = Simulator<MobilePayControl>;

const ControlSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('authorise'), idNo: z.string().min(1), walletFen: z.number().int().nonnegative().optional() }),
  z.object({ op: z.literal('replay'), payOrdId: z.string().min(1) }),
  ...FAULT_COMMANDS,
]);

export async function startMobilePayCentre(opts: MobilePayCentreOptions): Promise<MobilePayCentre> {
  const now = opts.now ?? Date.now;
  const ledger = new MobilePayLedger(opts.dbPath ?? ':memory:');
  const faults = new FaultBook();
  const crypto = new MobileCentreCrypto(opts.channel);
  const notifier = new CallbackNotifier({
    ledger,
    faults,
    orgCode: opts.orgCode,
    scheduleMs: opts.notifyScheduleMs ?? [50, 100, 200, 400, 800],
  });
  const operations = new CentreOperations(ledger, {
    now,
    ...(opts.nhsaBook ? { books: platformBooks(ledger, opts.nhsaBook, opts.orgCode) } : {}),
    onPaid: (payOrdId) => {
      const url = typeof opts.notifyUrl === 'function' ? opts.notifyUrl() : opts.notifyUrl;
      if (url) notifier.enqueue(payOrdId, url);
    },
  });
  const requests: MobilePayControl['requests'] = [];

  const control: MobilePayControl = {
    authorise(idNo, walletFen = 10_000_000) {
      if (!findByIdNo(idNo)) throw new Error(`no insured person ${idNo}`);
      const payAuthNo = `AUTH${String(ledger.nextSerial('auth')).padStart(12, '0')}`;
      const person = findByIdNo(idNo)!;
      ledger.insertAuth({
        pay_auth_no: payAuthNo,
        psn_no: person.psnNo,
        id_no: idNo,
        user_name: person.name,
        wallet_fen: walletFen,
        created_at: now(),
      });
      return payAuthNo;
    },
    inject: (rule) => faults.inject(rule),
    clear: () => faults.clear(),
    replay: (payOrdId) => notifier.replay(payOrdId),
    ledger,
    requests,
  };

  const serve = (path: OperationPath) => async (exchange: Exchange) => {
    const fault = faults.take(path);
    const struck = admitRequest(exchange, fault, { op: path }, requests);
    if (struck) return struck;
    const envelope = parseObject(exchange.body);
    const opened = envelope ? crypto.open(envelope) : { problem: 'body is not a JSON object' };
    let answer: Answer;
    if ('problem' in opened) answer = { code: 1001, message: `验签失败: ${opened.problem}` };
    else if (fault?.kind === 'system-error') answer = { code: 9999, message: '系统繁忙，请稍后再试' };
    else if (fault?.kind === 'refuse') answer = { code: Number(fault.code) || 9001, message: fault.msg ?? '业务拒绝' };
    else answer = ledger.atomically(() => operations[OPERATIONS[path]](opened.data));
    const body =
      'data' in answer
        ? crypto.answer(answer.data, 0, '成功', fault?.kind === 'bad-signature')
        : { code: answer.code, message: answer.message, success: false };
    return exchange.answer(200, JSON.stringify(body), fault);
  };

  const runControl = (command: z.infer<typeof ControlSchema>) => {
    if (isFaultCommand(command)) return runFaultCommand(control, command);
    if (command.op === 'authorise') return { payAuthNo: control.authorise(command.idNo, command.walletFen) };
    return undefined;
  };

  const simulator = await startSimulator({
    name: 'mobile-pay',
    port: opts.port,
    base: MOBILE_PAY_BASE,
    routes: [
      ...(Object.keys(OPERATIONS) as OperationPath[]).map((path) => [`/${path}`, serve(path)] as const),
      [
        '/__control',
        async (exchange) => {
          const parsed = ControlSchema.safeParse(parseObject(exchange.body));
          if (parsed.success && parsed.data.op === 'replay')
            return exchange.answer(200, JSON.stringify({ delivered: await control.replay(parsed.data.payOrdId) }));
          return serveControl(exchange, ControlSchema, runControl);
        },
      ],
    ],
    control,
    closing: [ledger],
  });
  notifier.resumePending();
  return {
    ...simulator,
    async close() {
      await notifier.close();
      await simulator.close();
    },
  };
}
