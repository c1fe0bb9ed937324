/**
 * The simulated message gateway of the payment platform: template messages to a patient's WeChat or Alipay,
 * addressed by the payer id a payment returned. It records what it sent (its own SQLite ledger) so tests can
 * read a patient's phone. Same merchant account and signature as the payment API; written apart from the
 * station's client.
 *
 *   POST {url}/message/send   { mch_id, msg_id, channel, to_user, template_id, data (JSON text), url?, nonce_str, sign_type, sign }
 *   POST {url}/__control      { op: 'inject', rule } | { op: 'clear' } | { op: 'messages' } | { op: 'refuse', toUser }
 */
import { randomInt } from 'node:crypto';
import Database from 'better-sqlite3';
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
import { randomToken, seededRandom } from '../nhsa/random';
import { FaultBook, type Fault, type FaultRule } from '../pay-channel/faults';
import { parseObject, type Exchange } from '../pay-channel/http-server';
import { asFlat, platformSign, platformVerify, type Flat } from '../pay-channel/sign';
import { DEFAULT_TEMPLATES, MAX_VALUE_LENGTH, type TemplateDefinition } from './templates';
import { cacheStatements } from '../statement-cache';

export interface MessageGatewayOptions {
  port?: number;
  dbPath?: string;
  merchants: { mchId: string; key: string }[];
  templates?: readonly TemplateDefinition[];
  seed?: number;
  now?: () => Date;
}

export interface SentMessage {
  msg_id: string;
  platform_msg_id: string;
  channel: 'WECHAT' | 'ALIPAY';
  to_user: string;
  template_id: string;
  data: Record<string, string>;
  url: string;
  sent_at: number;
}

export interface MessageGatewayControl {
  inject(rule: FaultRule): void;
  clear(): void;
  /** Every message sent, oldest first. */
  messages(): SentMessage[];
  /** What one patient's phone shows. */
  inbox(toUser: string): SentMessage[];
  /** The patient unsubscribed or blocked the account: sends to them are refused. */
  refuse(toUser: string): void;
  requests(): { verified: boolean; msgId: string; resultCode?: string; errCode?: string; fault?: Fault['kind'] }[];
}

/** Base URL: POST `${url}/message/send`. */
export type MessageGateway = Simulator<MessageGatewayControl>;

const BASE = '/unipay';

const SendSchema = z.object({
  msg_id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  channel: z.enum(['WECHAT', 'ALIPAY']),
  to_user: z.string().min(1).max(64),
  template_id: z.string().min(1),
  data: z.string(),
  url: z.url().optional(),
});

const ControlSchema = z.discriminatedUnion('op', [
  ...FAULT_COMMANDS,
  z.object({ op: z.literal('messages') }),
  z.object({ op: z.literal('refuse'), toUser: z.string() }),
]);

const SCHEMA = `
CREATE TABLE IF NOT EXISTS message (
  msg_id TEXT PRIMARY KEY,
  mch_id TEXT NOT NULL,
  platform_msg_id TEXT NOT NULL UNIQUE,
  channel TEXT NOT NULL,
  to_user TEXT NOT NULL,
  template_id TEXT NOT NULL,
  data TEXT NOT NULL,
  url TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  sent_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS refused_user (to_user TEXT PRIMARY KEY);
`;

type Row = Omit<SentMessage, 'data'> & { mch_id: string; fingerprint: string; data: string };

export async function startMessageGateway(opts: MessageGatewayOptions): Promise<MessageGateway> {
  const keys = new Map(opts.merchants.map((m) => [m.mchId, m.key]));
  const templates = new Map((opts.templates ?? DEFAULT_TEMPLATES).map((t) => [t.id, t]));
  const db = new Database(opts.dbPath ?? ':memory:');
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA);
  cacheStatements(db);
  const faults = new FaultBook();
  const random = seededRandom(opts.seed ?? randomInt(2 ** 31));
  const now = opts.now ?? (() => new Date());
  const log: ReturnType<MessageGatewayControl['requests']> = [];

  const decode = (row: Row): SentMessage => ({
    msg_id: row.msg_id,
    platform_msg_id: row.platform_msg_id,
    channel: row.channel,
    to_user: row.to_user,
    template_id: row.template_id,
    data: JSON.parse(row.data) as Record<string, string>,
    url: row.url,
    sent_at: row.sent_at,
  });

  const control: MessageGatewayControl = {
    inject: (rule) => faults.inject(rule),
    clear: () => faults.clear(),
    messages: () => db.prepare<[], Row>(`SELECT * FROM message ORDER BY sent_at, rowid`).all().map(decode),
    inbox: (toUser) => db.prepare<[string], Row>(`SELECT * FROM message WHERE to_user = ? ORDER BY sent_at, rowid`).all(toUser).map(decode),
    refuse: (toUser) => void db.prepare(`INSERT OR IGNORE INTO refused_user VALUES (?)`).run(toUser),
    requests: () => log.map((e) => ({ ...e })),
  };

  type Result = { ok: true; fields: Flat } | { ok: false; code: string; des: string };

  function send(mchId: string, request: Flat): Result {
    const parsed = SendSchema.safeParse(request);
    if (!parsed.success)
      return { ok: false, code: 'PARAM_ERROR', des: `参数错误: ${parsed.error.issues.map((i) => i.path.join('.')).join(',')}` };
    const m = parsed.data;
    const print = JSON.stringify([m.channel, m.to_user, m.template_id, m.data, m.url ?? '']);
    return db.transaction((): Result => {
      const existing = db.prepare<[string], Row>(`SELECT * FROM message WHERE msg_id = ?`).get(m.msg_id);
      if (existing) {
        if (existing.fingerprint !== print) return { ok: false, code: 'MSG_ID_USED', des: '消息编号已用于另一条消息' };
        return { ok: true, fields: sentFields(existing) };
      }
      const template = templates.get(m.template_id);
      if (!template) return { ok: false, code: 'TEMPLATE_NOT_FOUND', des: '模板不存在' };
      const validUser = m.channel === 'WECHAT' ? /^o[A-Za-z0-9_-]{20,40}$/.test(m.to_user) : /^2088\d{12}$/.test(m.to_user);
      if (!validUser) return { ok: false, code: 'USER_INVALID', des: '接收用户标识无效' };
      if (db.prepare(`SELECT 1 FROM refused_user WHERE to_user = ?`).get(m.to_user))
        return { ok: false, code: 'USER_REFUSED', des: '用户拒收消息' };
      const data = parseObject(m.data);
      const problem = dataProblem(template, data);
      if (problem) return { ok: false, code: 'DATA_INVALID', des: problem };
      const row: Row = {
        msg_id: m.msg_id,
        mch_id: mchId,
        platform_msg_id: `MSG${beijing(now()).day}${randomToken(random, 12)}`,
        channel: m.channel,
        to_user: m.to_user,
        template_id: m.template_id,
        data: m.data,
        url: m.url ?? '',
        fingerprint: print,
        sent_at: now().getTime(),
      };
      db.prepare(
        `INSERT INTO message VALUES (@msg_id, @mch_id, @platform_msg_id, @channel, @to_user, @template_id, @data, @url, @fingerprint, @sent_at)`,
      ).run(row);
      return { ok: true, fields: sentFields(row) };
    })();
  }

  async function serveSend(exchange: Exchange): Promise<void> {
    const fault = faults.take('send');
    const request = asFlat(parseObject(exchange.body));
    const entry: (typeof log)[number] = { verified: false, msgId: String(request?.msg_id ?? '') };
    const struck = admitRequest(exchange, fault, entry, log);
    if (struck) return struck;
    const mchId = typeof request?.mch_id === 'string' ? request.mch_id : '';
    const key = keys.get(mchId);
    const answer = (fields: Flat) => {
      const all: Flat = { mch_id: mchId, ...(request?.msg_id !== undefined ? { msg_id: request.msg_id } : {}), ...fields };
      if (key === undefined) return JSON.stringify(all);
      all.nonce_str = randomToken(random, 32);
      all.sign_type = 'HMAC-SHA256';
      all.sign = platformSign(all, fault?.kind === 'bad-signature' ? `${key}#` : key);
      return JSON.stringify(all);
    };
    if (!request || key === undefined) return exchange.answer(200, answer({ return_code: 'FAIL', return_msg: '商户号不存在' }), fault);
    if (request.sign_type !== 'HMAC-SHA256' || !platformVerify(request, key)) {
      return exchange.answer(200, answer({ return_code: 'FAIL', return_msg: '签名错误' }), fault);
    }
    entry.verified = true;
    const result: Result =
      fault?.kind === 'system-error'
        ? { ok: false, code: 'SYSTEMERROR', des: '系统繁忙' }
        : fault?.kind === 'refuse'
          ? { ok: false, code: fault.code, des: fault.msg ?? '业务拒绝' }
          : send(mchId, request);
    entry.resultCode = result.ok ? 'SUCCESS' : 'FAIL';
    if (!result.ok) entry.errCode = result.code;
    const fields: Flat = result.ok
      ? { return_code: 'SUCCESS', return_msg: 'OK', result_code: 'SUCCESS', ...result.fields }
      : { return_code: 'SUCCESS', return_msg: 'OK', result_code: 'FAIL', err_code: result.code, err_code_des: result.des };
    return exchange.answer(200, answer(fields), fault);
  }

  function runControl(c: z.infer<typeof ControlSchema>): unknown {
    if (isFaultCommand(c)) return runFaultCommand(control, c);
    switch (c.op) {
      case 'messages':
        return control.messages();
      case 'refuse':
        return control.refuse(c.toUser);
    }
  }

  const routes: Route[] = [
    ['/message/send', serveSend],
    ['/message/__control', (exchange) => serveControl(exchange, ControlSchema, runControl)],
  ];
  return startSimulator({ name: 'messages', port: opts.port, base: BASE, routes, control, closing: [db] });
}

function sentFields(row: { msg_id: string; platform_msg_id: string; sent_at: number }): Flat {
  return { msg_id: row.msg_id, platform_msg_id: row.platform_msg_id, sent_time: beijing(new Date(row.sent_at)).second };
}

function dataProblem(template: TemplateDefinition, data: Record<string, unknown> | undefined): string | undefined {
  if (!data) return 'data 不是JSON对象';
  const missing = template.keys.filter((k) => typeof data[k] !== 'string' || data[k] === '');
  if (missing.length) return `缺少模板字段: ${missing.join(',')}`;
  const extra = Object.keys(data).filter((k) => !template.keys.includes(k));
  if (extra.length) return `模板没有字段: ${extra.join(',')}`;
  const long = template.keys.filter((k) => String(data[k]).length > MAX_VALUE_LENGTH);
  if (long.length) return `字段过长: ${long.join(',')}`;
  return undefined;
}
