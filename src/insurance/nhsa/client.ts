/**
 * NhsaClient: one call = allocate msgid -> seal input -> announce (onSend) -> POST -> classify the answer.
 *
 * Classification (the NHSA note's "outcome classes"):
 *   ok        infcode 0, the answer opened and verified, inf_refmsgid issued by our centre
 *   rejected  infcode != 0 in an answer that is equally well-formed and verified: the centre refused, nothing
 *             happened there
 *   unknown   everything else — timeout, reset, non-2xx, a redirect, an answer over the size cap, unparsable,
 *             undecryptable, unverifiable, foreign inf_refmsgid, a refusal of a repeated msgid as a duplicate. Never folded into ok or rejected: the outbox resolves it by query or reversal.
 */
import { NhsaConfigSchema, type NhsaConfig, type NhsaConfigInput } from './config';
import { buildRequestEnvelope, parseResponseEnvelope, type EnvelopeHeader, type RequestEnvelope } from './envelope';
import { MSGID_LENGTH, type MsgIdAllocator } from './msgid';
import type { CallContext, NhsaOutcome } from './outcome';
import { securityProfileFor, type SecurityProfile } from './security-profile';
import { HttpTransport, type ByteSink, type HttpReply, type NhsaTransport } from './transport';

export interface NhsaClientDeps {
  msgids: MsgIdAllocator;
  now?: () => Date;
  fetch?: typeof fetch;
  /** Replaces the HTTP POST (a province gateway with its own headers); `fetch` is then unused. */
  transport?: NhsaTransport;
  /**
   * Called synchronously after the msgid is fixed and before any byte is sent. The station records the
   * msgid here (a reversal names it); if this throws, nothing is sent and call() rejects.
   */
  onSend?: (msgid: string, infno: string) => void;
}

/** What a file download delivered: the byte count (the bytes themselves went to the sink). */
export interface DownloadedFile {
  bytes: number;
}

const INFNO_RE = /^[0-9]{4}[A-Z]?$/;
/** How gateways word "this msgid was already received": never "nothing happened" — the first message may have acted. */
const DUPLICATE_MSGID = /报文ID.{0,4}(重复|已存在)|msgid.{0,4}(重复|已存在)|重复(交易|提交|报文)/i;

export class NhsaClient {
  private readonly config: NhsaConfig;
  private readonly profile: SecurityProfile;
  private readonly transport: NhsaTransport;
  private readonly now: () => Date;
  private readonly reversible: ReadonlySet<string>;

  constructor(
    config: NhsaConfigInput,
    private readonly deps: NhsaClientDeps,
  ) {
    this.config = NhsaConfigSchema.parse(config);
    this.profile = securityProfileFor(this.config);
    this.now = deps.now ?? (() => new Date());
    this.reversible = new Set(this.config.reversibleInfnos);
    this.transport =
      deps.transport ??
      new HttpTransport({
        baseUrl: this.config.baseUrl,
        urlStyle: this.config.urlStyle,
        timeoutMs: this.config.timeoutMs,
        fileTimeoutMs: this.config.fileTimeoutMs,
        maxAnswerBytes: this.config.maxAnswerBytes,
        maxFileBytes: this.config.maxFileBytes,
        fetch: deps.fetch ?? fetch,
      });
  }

  /** The institution this client speaks for (some inputs repeat its code, e.g. 9101/9102). */
  get institution(): Readonly<NhsaConfig['institution']> {
    return this.config.institution;
  }

  /** Whether this province lets 2601 reverse `infno` (configuration, see NhsaConfig.reversibleInfnos). */
  canReverse(infno: string): boolean {
    return this.reversible.has(infno);
  }

  /**
   * Sends one transaction. Resolves with its outcome; rejects only before anything was sent (bad infno,
   * input that is not JSON-serialisable, onSend failing).
   */
  async call(infno: string, input: unknown, ctx: CallContext): Promise<NhsaOutcome<unknown>> {
    const { msgid, envelope } = this.prepare(infno, input, ctx);
    return this.classify(await this.transport.post(infno, envelope), msgid);
  }

  /**
   * Sends a transaction whose answer is a file (9102): the bytes are streamed into `sink`. A JSON answer instead
   * of a file is classified like any other (a refusal is 'rejected'); a JSON success without a file is 'unknown'.
   * A file is not an envelope: its ok outcome has no inf_refmsgid (''). Rejects like call(), and also when `sink`
   * rejects (a local failure, not the centre's).
   */
  async callForFile(infno: string, input: unknown, ctx: CallContext, sink: ByteSink): Promise<NhsaOutcome<DownloadedFile>> {
    const postForFile = this.transport.postForFile?.bind(this.transport);
    if (!postForFile) throw new Error('this transport does not download files');
    const { msgid, envelope } = this.prepare(infno, input, ctx);
    const reply = await postForFile(infno, envelope, sink);
    if (reply.kind === 'file') return { kind: 'ok', output: { bytes: reply.bytes }, msgid, infRefmsgid: '', warnMsg: '' };
    const outcome = this.classify(reply, msgid);
    if (outcome.kind !== 'ok') return outcome;
    return { kind: 'unknown', reason: 'schema', detail: 'expected a file, got a JSON answer without one', msgid };
  }

  private prepare(infno: string, input: unknown, ctx: CallContext): { msgid: string; envelope: RequestEnvelope } {
    if (!INFNO_RE.test(infno)) throw new Error(`not a transaction code: ${JSON.stringify(infno)}`);
    const inputJson = JSON.stringify(input);
    if (inputJson === undefined) throw new Error(`infno ${infno}: input is not JSON-serialisable`);

    const time = this.now();
    if (ctx.msgid !== undefined && ctx.msgid.length !== MSGID_LENGTH) throw new Error(`msgid must be ${MSGID_LENGTH} characters`);
    const msgid = ctx.msgid ?? this.deps.msgids.next(time);
    const header: EnvelopeHeader = {
      infno,
      msgid,
      time,
      institution: this.config.institution,
      insuplcAdmdvs: ctx.insuplcAdmdvs ?? '',
      recerSysCode: this.config.recerSysCode,
      infver: this.config.infver,
      devNo: this.config.devNo ?? '',
      devSafeInfo: this.config.devSafeInfo ?? '',
      operator: ctx.operator,
      signNo: ctx.signNo ?? '',
    };
    const envelope = buildRequestEnvelope(header, this.profile.seal(inputJson));
    this.deps.onSend?.(msgid, infno);
    return { msgid, envelope };
  }

  private classify(reply: HttpReply, msgid: string): NhsaOutcome<unknown> {
    if (reply.kind === 'failed') return { kind: 'unknown', reason: reply.reason, detail: reply.detail, msgid };
    if (reply.status < 200 || reply.status > 299) {
      return { kind: 'unknown', reason: 'http-status', detail: `HTTP ${reply.status}`, msgid };
    }

    const parsed = parseResponseEnvelope(reply.body);
    if (!parsed.ok) return { kind: 'unknown', reason: 'unparsable', detail: parsed.detail, msgid };
    const response = parsed.envelope;

    const opened = this.profile.open(response);
    if (!opened.ok) return { kind: 'unknown', reason: opened.reason, detail: opened.detail, msgid };

    const refmsgid = response.inf_refmsgid;
    if (refmsgid.length !== MSGID_LENGTH || !refmsgid.startsWith(this.config.centreRegion)) {
      return {
        kind: 'unknown',
        reason: 'mismatch',
        detail: `inf_refmsgid ${JSON.stringify(refmsgid)} is not a 30-character id of centre ${this.config.centreRegion}`,
        msgid,
      };
    }

    if (response.infcode !== 0 && DUPLICATE_MSGID.test(response.err_msg)) {
      return { kind: 'unknown', reason: 'duplicate-msgid', detail: `refused as a duplicate: ${response.err_msg}`, msgid };
    }
    if (response.infcode !== 0) {
      return { kind: 'rejected', infcode: response.infcode, errMsg: response.err_msg, msgid, infRefmsgid: refmsgid };
    }
    return { kind: 'ok', output: opened.output, msgid, infRefmsgid: refmsgid, warnMsg: response.warn_msg };
  }
}
