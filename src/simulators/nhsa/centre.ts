/**
 * The simulated NHSA centre: an HTTP server speaking the two-ends envelope (per-infno URLs and a single URL
 * both work), the e-voucher decode service, a control endpoint, and fault injection. It is the *other side*
 * and shares nothing with the client but primitive libraries.
 *
 *   POST {url}/{infno} | POST {url}     two-ends transactions (9102 answers with the file's bytes)
 *   POST {url}/__control                 { op: 'inject', infno, fault, times?, probability? } | { op: 'clear' }
 *                                        | { op: 'requests' } | { op: 'messages' } | { op: 'books' }
 *   POST {voucherUrl}/ec/query           e-voucher decode
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomInt } from 'node:crypto';
import { z } from 'zod';
import { centreBooks, type CentreBooks } from './books';
import { CentreCrypto, type CentreKeys } from './centre-crypto';
import { beijing } from './clock';
import { FaultBook, FaultRuleSchema, type Fault, type FaultRule } from './faults';
import { NO_SUCH_FILE } from './handlers/files';
import { REVERSIBLE_BY_CENTRE } from './handlers/reversal';
import { Ledger, type MessageRow } from './ledger';
import { TRAINING_POLICY, type Policy } from './policy';
import { seededRandom } from './random';
import { mobileSettlementBook, type MobileSettlementBook } from './mobile-settlements';
import { CareRecords } from './records';
import { handle, type Answer, type CentreState } from './transactions';
import { ecQuery } from './voucher-service';
import { appendBounded } from '../bounded-log';

export interface NhsaCentreOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** The centre's own SQLite ledger; ':memory:' by default. */
  dbPath?: string;
  keys: CentreKeys;
  /** The centre's region (6 digits): the prefix of every inf_refmsgid it issues. */
  region: string;
  profile?: 'sm' | 'plain';
  /** Makes e-voucher tokens reproducible. */
  seed?: number;
  /** SM2 distinguishing id; the national default. */
  userId?: string;
  /** The centre's clock (tests move it to expire tokens or roll the day over). */
  now?: () => Date;
  /** How long an ecToken stays valid for 1101; 10 minutes by default. */
  tokenTtlMs?: number;
  /** The settlement policy; the training policy by default (docs/nhsa-policy.md). */
  policy?: Policy;
  /** Transactions 2601 may reverse; every one the simulator can undo by default. */
  reversibleInfnos?: readonly string[];
}

export interface RequestLogEntry {
  infno: string;
  msgid: string;
  /** The request decrypted and its signature verified (in the plain profile: it was a well-formed envelope). */
  verified: boolean;
  /** The answer's infcode, when one was produced. */
  infcode?: number;
  fault?: Fault['kind'];
  /** A repeated msgid answered with the original answer. */
  replayed?: boolean;
}

export interface CentreControl {
  inject(rule: FaultRule): void;
  clear(): void;
  requests(): RequestLogEntry[];
  /** Every message the centre accepted and answered, from its ledger: what it "knows happened". */
  messages(): MessageRow[];
  /** Its books, read-only: visits, fee batches, settlements and reversals (books.ts). */
  books(): CentreBooks;
  /** Where the mobile-payment centre (part of the same platform) books its paid orders and their refunds. */
  mobileBook: MobileSettlementBook;
}

export interface NhsaCentre {
  /** Base URL of the two-ends service: POST `${url}/${infno}` (or `url` itself). */
  url: string;
  /** Base URL of the voucher service: POST `${voucherUrl}/ec/query`. */
  voucherUrl: string;
  control: CentreControl;
  close(): Promise<void>;
}

const NHSA_PATH = '/fsi/api';
const VOUCHER_PATH = '/ecpt';
const MAX_BODY = 2 * 1024 * 1024;

const RequestEnvelopeSchema = z.object({
  infno: z.string().regex(/^\d{4}[A-Z]?$/),
  msgid: z.string(),
  mdtrtarea_admvs: z.string().regex(/^\d{6}$/),
  insuplc_admdvs: z.string(),
  recer_sys_code: z.string().min(1),
  dev_no: z.string(),
  dev_safe_info: z.string(),
  cainfo: z.string(),
  signtype: z.string(),
  infver: z.string().min(1),
  opter_type: z.enum(['1', '2', '3']),
  opter: z.string().min(1),
  opter_name: z.string().min(1),
  inf_time: z.string().regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
  fixmedins_code: z.string().regex(/^[A-Za-z0-9]{12}$/),
  fixmedins_name: z.string().min(1),
  sign_no: z.string(),
  input: z.unknown(),
  enc_type: z.string().optional(),
});
type RequestEnvelope = z.infer<typeof RequestEnvelopeSchema>;

const ControlSchema = z.discriminatedUnion('op', [
  FaultRuleSchema.extend({ op: z.literal('inject') }),
  z.object({ op: z.literal('clear') }),
  z.object({ op: z.literal('requests') }),
  z.object({ op: z.literal('messages') }),
  z.object({ op: z.literal('books') }),
]);

/** What a request produced: an envelope to send, or a stored file (9102). */
type Reply = { kind: 'envelope'; envelope: Record<string, unknown> } | { kind: 'file'; content: Buffer; filename: string };

interface Processed {
  reply: Reply;
  log: RequestLogEntry;
}

/** SHA-256 of the decrypted input: a repeated msgid must carry the very same request. */
const digestOf = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export async function startNhsaCentre(opts: NhsaCentreOptions): Promise<NhsaCentre> {
  if (!/^\d{6}$/.test(opts.region)) throw new Error('region must be 6 digits');
  const profile = opts.profile ?? 'sm';
  const crypto = new CentreCrypto(opts.keys, opts.userId ?? '1234567812345678');
  const ledger = new Ledger(opts.dbPath ?? ':memory:');
  const seed = opts.seed ?? randomInt(2 ** 31);
  const random = seededRandom(seed);
  // A separate stream for faults, so injecting one does not change the tokens a seed produces.
  const faults = new FaultBook(seededRandom(seed ^ 0x5eed_fa17));
  const now = opts.now ?? (() => new Date());
  const tokenTtlMs = opts.tokenTtlMs ?? 10 * 60_000;
  const state: CentreState = {
    ledger,
    records: new CareRecords(ledger),
    region: opts.region,
    policy: opts.policy ?? TRAINING_POLICY,
    reversible: new Set(opts.reversibleInfnos ?? REVERSIBLE_BY_CENTRE),
  };
  const log: RequestLogEntry[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const control: CentreControl = {
    inject: (rule) => faults.inject(rule),
    clear: () => faults.clear(),
    requests: () => log.map((entry) => ({ ...entry })),
    messages: () => ledger.messages(),
    books: () => centreBooks(ledger),
    mobileBook: mobileSettlementBook(state, now),
  };

  function refmsgid(): string {
    return `${opts.region}${beijing(now()).second}${String(ledger.nextSerial('inf_refmsgid')).padStart(10, '0')}`;
  }

  /** Serialises an answer the way the profile requires: output encrypted and everything signed in 'sm'. */
  function answerEnvelope(answer: Answer, receivedAt: Date, fault: Fault | undefined, id: string): Record<string, unknown> {
    const output = answer.infcode === 0 && 'output' in answer && answer.output !== null ? answer.output : undefined;
    const outputText = output === undefined ? '' : JSON.stringify(output);
    const refId = fault?.kind === 'wrong-refmsgid' ? `${opts.region === '110000' ? '120000' : '110000'}${id.slice(6)}` : id;
    const envelope: Record<string, unknown> = {
      infcode: answer.infcode,
      inf_refmsgid: refId,
      refmsg_time: beijing(receivedAt).milli,
      respond_time: beijing(now()).milli,
      err_msg: answer.infcode === 0 ? '成功' : answer.errMsg,
      warn_msg: answer.infcode === 0 && 'output' in answer ? (answer.warnMsg ?? '') : '',
      cainfo: '',
      signtype: '',
    };
    if (profile === 'plain') {
      if (output !== undefined) envelope.output = output;
      return envelope;
    }
    if (output !== undefined) envelope.output = crypto.encryptOutput(outputText);
    // A bad-signature fault signs other text: well-formed r||s that does not verify.
    envelope.cainfo = crypto.sign(fault?.kind === 'bad-signature' ? `${outputText}#` : outputText);
    envelope.signtype = 'SM2';
    return envelope;
  }

  function replyFor(answer: Answer, receivedAt: Date, fault: Fault | undefined, id: string): Reply {
    if (answer.infcode === 0 && 'file' in answer) {
      const file = ledger.findFile(answer.file.file_qury_no);
      // A file expires; the repeated request of a download after that gets the refusal a new one would.
      if (file && file.expires_at > receivedAt.getTime()) return { kind: 'file', content: file.content, filename: file.filename };
      return { kind: 'envelope', envelope: answerEnvelope({ infcode: -1, errMsg: NO_SUCH_FILE }, receivedAt, fault, id) };
    }
    return { kind: 'envelope', envelope: answerEnvelope(answer, receivedAt, fault, id) };
  }

  /** Authenticates the envelope and returns the decrypted input and its text, or the error to answer with. */
  function openRequest(env: RequestEnvelope): { input: Record<string, unknown>; text: string } | { error: string } {
    let inputText: string;
    if (profile === 'sm') {
      if (env.signtype !== 'SM2' || env.enc_type !== 'SM4') return { error: '签名类型或加密类型错误' };
      if (typeof env.input !== 'string') return { error: '报文解密失败' };
      try {
        inputText = crypto.decryptInput(env.input);
      } catch {
        return { error: '报文解密失败' };
      }
      if (!crypto.verifyStation(inputText, env.cainfo)) return { error: '签名验证失败' };
    } else {
      inputText = JSON.stringify(env.input ?? null);
    }
    let input: unknown;
    try {
      input = JSON.parse(inputText);
    } catch {
      return { error: '交易输入input不是JSON' };
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) return { error: '交易输入input格式错误' };
    return { input: input as Record<string, unknown>, text: inputText };
  }

  function processNhsa(bodyText: string, urlInfno: string | undefined, fault: Fault | undefined): Processed {
    const receivedAt = now();
    const reject = (errMsg: string, entry: Omit<RequestLogEntry, 'infcode'>): Processed => ({
      reply: { kind: 'envelope', envelope: answerEnvelope({ infcode: -1, errMsg }, receivedAt, fault, refmsgid()) },
      log: { ...entry, infcode: -1 },
    });

    let json: unknown;
    try {
      json = JSON.parse(bodyText);
    } catch {
      return reject('报文格式错误: 不是JSON', { infno: urlInfno ?? '', msgid: '', verified: false });
    }
    const parsed = RequestEnvelopeSchema.safeParse(json);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))].join(',');
      return reject(`报文格式错误: ${fields}`, { infno: urlInfno ?? '', msgid: '', verified: false });
    }
    const env = parsed.data;
    const base = { infno: env.infno, msgid: env.msgid };
    if (urlInfno !== undefined && urlInfno !== env.infno) return reject('交易编号与请求地址不一致', { ...base, verified: false });

    const opened = openRequest(env);
    if ('error' in opened) return reject(opened.error, { ...base, verified: false });
    const verified = { ...base, verified: true };

    if (!env.msgid.startsWith(env.fixmedins_code) || !/^\d{18}$/.test(env.msgid.slice(12)) || env.msgid.length !== 30) {
      return reject('发送方报文ID格式错误', verified);
    }
    const inputDigest = digestOf(opened.text);

    // A msgid seen before: the same request again is a retry of a lost answer and gets the original answer,
    // with the original inf_refmsgid; anything else reusing the msgid is refused.
    const earlier = ledger.findMessage(env.msgid);
    if (earlier) {
      const stored = ledger.answerTo(env.msgid);
      if (earlier.infno !== env.infno || earlier.fixmedins_code !== env.fixmedins_code || !stored)
        return reject('发送方报文ID重复', verified);
      if (stored.input_digest !== inputDigest) return reject('发送方报文ID重复，且报文内容与原报文不一致', verified);
      const answer = JSON.parse(stored.answer) as Answer;
      return {
        reply: replyFor(answer, receivedAt, fault, earlier.inf_refmsgid),
        log: { ...verified, infcode: answer.infcode, replayed: true },
      };
    }

    return ledger.atomically(() => {
      const answer: Answer =
        fault?.kind === 'business-error'
          ? { infcode: -1, errMsg: fault.errMsg }
          : handle(
              {
                infno: env.infno,
                msgid: env.msgid,
                fixmedinsCode: env.fixmedins_code,
                opter: env.opter,
                signNo: env.sign_no,
                insuplcAdmdvs: env.insuplc_admdvs,
                now: receivedAt,
                input: opened.input,
              },
              state,
            );
      const id = refmsgid();
      ledger.recordMessage(
        {
          msgid: env.msgid,
          infno: env.infno,
          fixmedins_code: env.fixmedins_code,
          opter: env.opter,
          inf_refmsgid: id,
          infcode: answer.infcode,
          err_msg: answer.infcode === 0 ? '' : answer.errMsg,
          received_at: beijing(receivedAt).milli,
        },
        { input_digest: inputDigest, answer: JSON.stringify(answer) },
      );
      return { reply: replyFor(answer, receivedAt, fault, id), log: { ...verified, infcode: answer.infcode } };
    });
  }

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  function sendJson(res: http.ServerResponse, status: number, body: string): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  /** Applies the response-side faults; request-side ones were handled before processing. */
  async function deliver(res: http.ServerResponse, fault: Fault | undefined, body: string): Promise<void> {
    if (fault?.kind === 'delay') await delay(fault.ms);
    if (fault?.kind === 'drop-response') {
      res.socket?.destroy();
      return;
    }
    sendJson(res, 200, fault?.kind === 'malformed-json' ? body.slice(0, Math.floor(body.length / 2)) : body);
  }

  /** A 9102 answer: the bytes themselves, as centres send them (application/octet-stream). */
  async function deliverFile(res: http.ServerResponse, fault: Fault | undefined, content: Buffer, filename: string): Promise<void> {
    if (fault?.kind === 'delay') await delay(fault.ms);
    if (fault?.kind === 'drop-response') {
      res.socket?.destroy();
      return;
    }
    if (res.destroyed) return;
    const body = fault?.kind === 'malformed-json' ? content.subarray(0, Math.floor(content.length / 2)) : content;
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': body.length,
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
    });
    res.end(body);
  }

  async function serveNhsa(req: http.IncomingMessage, res: http.ServerResponse, urlInfno: string | undefined, bodyText: string) {
    const infno = urlInfno ?? peekInfno(bodyText);
    const fault = faults.take(infno);
    if (fault?.kind === 'drop-request' || fault?.kind === 'http-500') {
      appendBounded(log, { infno, msgid: peekMsgid(bodyText), verified: false, fault: fault.kind });
      if (fault.kind === 'drop-request') req.socket.destroy();
      else {
        res.writeHead(500, { 'content-type': 'text/html' });
        res.end('<html><body>500 Internal Server Error</body></html>');
      }
      return;
    }
    const processed = processNhsa(bodyText, urlInfno, fault);
    appendBounded(log, { ...processed.log, ...(fault ? { fault: fault.kind } : {}) });
    const { reply } = processed;
    if (reply.kind === 'file') await deliverFile(res, fault, reply.content, reply.filename);
    else await deliver(res, fault, JSON.stringify(reply.envelope));
  }

  async function serveVoucher(req: http.IncomingMessage, res: http.ServerResponse, bodyText: string) {
    const fault = faults.take('ec.query');
    appendBounded(log, { infno: 'ec.query', msgid: '', verified: true, ...(fault ? { fault: fault.kind } : {}) });
    if (fault?.kind === 'drop-request') return void req.socket.destroy();
    if (fault?.kind === 'http-500') return sendJson(res, 500, '{"error":"internal"}');
    if (fault?.kind === 'business-error') return deliver(res, undefined, JSON.stringify({ code: 9999, message: fault.errMsg }));
    let body: unknown;
    try {
      body = JSON.parse(bodyText);
    } catch {
      body = undefined;
    }
    const reply = ecQuery(body, { ledger, random, now: now(), tokenTtlMs });
    await deliver(res, fault, JSON.stringify(reply));
  }

  function serveControl(res: http.ServerResponse, bodyText: string): void {
    let command: z.infer<typeof ControlSchema>;
    try {
      command = ControlSchema.parse(JSON.parse(bodyText));
    } catch (error) {
      return sendJson(res, 400, JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
    }
    switch (command.op) {
      case 'inject': {
        const { op: _op, ...rule } = command;
        control.inject(rule);
        return sendJson(res, 200, '{"ok":true}');
      }
      case 'clear':
        control.clear();
        return sendJson(res, 200, '{"ok":true}');
      case 'requests':
        return sendJson(res, 200, JSON.stringify(control.requests()));
      case 'messages':
        return sendJson(res, 200, JSON.stringify(control.messages()));
      case 'books':
        return sendJson(res, 200, JSON.stringify(control.books()));
    }
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://centre').pathname.replace(/\/+$/, '');
    if (req.method !== 'POST') return sendJson(res, 405, '{"error":"POST only"}');
    const bodyText = await readBody(req);
    if (bodyText === undefined) return sendJson(res, 413, '{"error":"body too large"}');
    if (path === `${NHSA_PATH}/__control`) return serveControl(res, bodyText);
    if (path === `${VOUCHER_PATH}/ec/query`) return serveVoucher(req, res, bodyText);
    if (path === NHSA_PATH) return serveNhsa(req, res, undefined, bodyText);
    if (path.startsWith(`${NHSA_PATH}/`) && !path.slice(NHSA_PATH.length + 1).includes('/')) {
      return serveNhsa(req, res, decodeURIComponent(path.slice(NHSA_PATH.length + 1)), bodyText);
    }
    return sendJson(res, 404, '{"error":"not found"}');
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      // A simulator bug must be loud in tests, not look like a centre fault.
      console.error('[nhsa-centre] internal error', error);
      if (!res.headersSent) sendJson(res, 500, '{"error":"simulator internal error"}');
      else res.destroy();
    });
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;

  return {
    url: `${origin}${NHSA_PATH}`,
    voucherUrl: `${origin}${VOUCHER_PATH}`,
    control,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      ledger.close();
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The infno / msgid of a single-URL request, for fault matching and the log, before full parsing. */
function peekInfno(bodyText: string): string {
  return peekField(bodyText, 'infno');
}

function peekMsgid(bodyText: string): string {
  return peekField(bodyText, 'msgid');
}

function peekField(bodyText: string, name: string): string {
  try {
    const value = (JSON.parse(bodyText) as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : '';
  } catch {
    return '';
  }
}
