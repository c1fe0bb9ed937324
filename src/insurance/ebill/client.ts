/**
 * EBillClient: the station's calls to the hospital's e-bill gateway (Bosssoft), one signed envelope per service.
 *
 * Three outcomes, as for the other remotes: ok (a verified success), rejected (a verified business refusal; the
 * refusals the station acts on get EBILL_REFUSALS codes), unknown (timeout, network, HTTP status, bad signature,
 * an answer that does not parse or fit its schema). The idempotency key of an issue is the busNo the station fixed
 * before the first call: after an unknown outcome the station asks byBusNo before issuing again.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parseJsonObject, postJson } from '../pay-channel/http';
import { EBillConfigSchema, type EBillConfig, type EBillConfigInput } from './config';
import { decodeBase64Text, envelopeSignValid, sealEnvelope } from './envelope';
import {
  EBILL_BUS_TYPES,
  EBILL_REFUSALS,
  type EBill,
  type EBillDayTotals,
  type EBillIssueRequest,
  type EBillOutcome,
  type EBillPort,
  type EBillStatus,
  type EBillWriteOffRequest,
  type RedEBill,
} from './types';
import { RedBillAnswer, assertBillAddsUp, billAnswer, busDateTime, dayTotalsAnswer, issueWire, statusAnswer, writeOffWire } from './wire';

export type EBillService =
  'invoiceEBillOutpatient' | 'invEBillHospitalized' | 'getEBillByBusNo' | 'writeOffEBill' | 'getEBillStatesByBillInfo' | 'checkTotalData';

export interface EBillClientDeps {
  fetch?: typeof fetch;
  /** The envelope's noise (a UUID by default); fixed in tests to check the signature against a known vector. */
  noise?: () => string;
}

const SUCCESS = 'S0000';

const AnswerEnvelope = z.object({
  appid: z.string().optional(),
  data: z.string(),
  noise: z.string(),
  version: z.string().optional(),
  sign: z.string(),
});
const AnswerData = z.object({ result: z.string().min(1), message: z.string() });

type Answer<T> =
  { kind: 'ok'; value: T } | { kind: 'refused'; result: string; text: string } | Extract<EBillOutcome<never>, { kind: 'unknown' }>;

/** The platform's words for the refusals the station acts on (its codes differ by deployment; the texts do not). */
const REFUSAL_TEXTS: readonly [RegExp, string][] = [
  [/已冲销|已冲红|已红冲/, EBILL_REFUSALS.alreadyRedFlushed],
  [/已报销|已入账/, EBILL_REFUSALS.reimbursed],
  // Only "no such bill": "应用账号不存在" (our app unknown) must never read as "no bill for this busNo".
  [/(不存在|未找到|未查询到|查询不到).*票据|票据.*(不存在|未找到)|无此票据/, EBILL_REFUSALS.notFound],
];

export class EBillClient implements EBillPort {
  private readonly config: EBillConfig;
  private readonly fetch: typeof fetch;
  private readonly noise: () => string;

  constructor(config: EBillConfigInput, deps: EBillClientDeps = {}) {
    this.config = EBillConfigSchema.parse(config);
    this.fetch = deps.fetch ?? fetch;
    this.noise = deps.noise ?? randomUUID;
  }

  async issue(request: EBillIssueRequest): Promise<EBillOutcome<EBill>> {
    assertBillAddsUp(request);
    const service = request.busType === EBILL_BUS_TYPES.inpatient ? 'invEBillHospitalized' : 'invoiceEBillOutpatient';
    return refusal(await this.call(service, issueWire(request), billAnswer(request.busNo, request.totalFen)));
  }

  async byBusNo(busNo: string, busTime: string): Promise<EBillOutcome<EBill | null>> {
    const answer = refusal(await this.call('getEBillByBusNo', { busNo, busDateTime: busDateTime(busTime) }, billAnswer(busNo, undefined)));
    return answer.kind === 'rejected' && answer.code === EBILL_REFUSALS.notFound ? { kind: 'ok', value: null } : answer;
  }

  async redFlush(request: EBillWriteOffRequest): Promise<EBillOutcome<RedEBill>> {
    return refusal(await this.call('writeOffEBill', writeOffWire(request), RedBillAnswer));
  }

  async status(billCode: string, billNo: string): Promise<EBillOutcome<EBillStatus>> {
    return refusal(await this.call('getEBillStatesByBillInfo', { billBatchCode: billCode, billNo }, statusAnswer(billCode, billNo)));
  }

  async dayTotals(placeCode: string, day: string): Promise<EBillOutcome<EBillDayTotals>> {
    if (!/^\d{4}-\d\d-\d\d$/.test(day)) throw new RangeError(`day must be yyyy-MM-dd, got ${JSON.stringify(day)}`);
    return refusal(await this.call('checkTotalData', { placeCode, busDate: day.replaceAll('-', '') }, dayTotalsAnswer(day)));
  }

  /** One signed envelope to `service`; a success's message is read by `read`, a refusal's is its text. */
  private async call<T>(service: EBillService, payload: Record<string, unknown>, read: z.ZodType<T>): Promise<Answer<T>> {
    const { appId, appKey, version, baseUrl, timeoutMs } = this.config;
    const envelope = sealEnvelope(payload, { appid: appId, noise: this.noise(), version }, appKey);
    const reply = await postJson(this.fetch, `${baseUrl}/medical-web/api/medical/${service}`, JSON.stringify(envelope), timeoutMs);
    if (reply.kind === 'failed') return { kind: 'unknown', reason: reply.reason, detail: reply.detail };
    if (reply.status !== 200) return { kind: 'unknown', reason: 'http-status', detail: `HTTP ${reply.status}` };
    const outer = AnswerEnvelope.safeParse(parseJsonObject(reply.body));
    if (!outer.success) return { kind: 'unknown', reason: 'unparsable', detail: 'the answer is not the platform envelope' };
    const signed = { ...outer.data, appid: outer.data.appid ?? appId, version: outer.data.version ?? version };
    if (signed.appid !== appId || !envelopeSignValid(signed, appKey)) {
      return { kind: 'unknown', reason: 'bad-signature', detail: "the answer's signature does not verify" };
    }
    const data = AnswerData.safeParse(parseJsonObject(decodeBase64Text(outer.data.data) ?? ''));
    if (!data.success) return { kind: 'unknown', reason: 'schema', detail: 'the answer data is not {result, message} in Base64 JSON' };
    const message = decodeBase64Text(data.data.message);
    if (message === undefined) return { kind: 'unknown', reason: 'schema', detail: 'the answer message is not Base64 text' };
    if (data.data.result !== SUCCESS) return { kind: 'refused', result: data.data.result, text: message };
    const parsed = read.safeParse(parseJsonObject(message));
    if (!parsed.success) {
      const where = [...new Set(parsed.error.issues.map((i) => i.message))].join('; ');
      return { kind: 'unknown', reason: 'schema', detail: `unexpected answer: ${where}` };
    }
    return { kind: 'ok', value: parsed.data };
  }
}

/** A refusal with the station's code when it is one the station acts on, else the platform's own result code. */
function refusal<T>(answer: Answer<T>): EBillOutcome<T> {
  if (answer.kind !== 'refused') return answer;
  const known = REFUSAL_TEXTS.find(([words]) => words.test(answer.text));
  return { kind: 'rejected', code: known?.[1] ?? answer.result, message: answer.text };
}
