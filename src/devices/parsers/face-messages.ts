/**
 * The face terminal protocol: one UTF-8 JSON object per LF-terminated line, both ways (docs/devices.md).
 *
 * station → terminal: `ping`, `verify` (with the outBizNo of the business it is for), `cancel`; during a
 * self-service session (HX-T1): `session.show` (a screen), `session.paycode` (read the patient's payment code
 * with the terminal's own scanner), `session.end`
 * terminal → station: `pong`, `verify.result` (the identity, or why not), `self-service` (a patient started
 * at the terminal on their own, HX-T1); during a session: `session.confirm` (确认 pressed on a screen),
 * `session.cancel` (取消 pressed, or the patient walked away), `session.paycode.result` (the code, or why not)
 *
 * Lines are checked against a schema here; anything else is refused with a reason. A verification counts
 * only with every identity field present and well-formed — a half identity is no identity.
 */
import { z } from 'zod';
import { hasControlCharacter } from './code-text';

/** What a successful verification hands the station: the e-voucher authorisation for 1101 (cert type 01). */
export interface FaceIdentity {
  authNo: string;
  ecToken: string;
  idNo: string;
  userName: string;
  /** the insured person's region (参保地) */
  insuOrg: string;
}

export interface FaceTerminalInfo {
  model: string;
  firmware: string;
  serial: string;
}

export interface SelfServiceStart {
  /** the terminal's id for this patient session */
  sessionId: string;
}

/** Why a verification ended without an identity, as the terminal says it. */
export const VERIFY_REFUSALS = ['refused', 'cancelled', 'timeout', 'liveness-failed', 'busy'] as const;
export type VerifyRefusal = (typeof VERIFY_REFUSALS)[number];

const Seq = z
  .number()
  .int()
  .min(1)
  .max(2 ** 31 - 1);
/** JSON escapes let a line carry control characters; no field of ours may hold one. */
const Text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((text) => !hasControlCharacter(text));

const IdentitySchema = z.object({
  authNo: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/),
  ecToken: z.string().regex(/^[0-9A-Za-z]{16,64}$/),
  idNo: z.string().regex(/^[0-9A-Za-z]{6,32}$/),
  userName: Text(50),
  insuOrg: z.string().regex(/^\d{6}$/),
});

const VerifyResultSchema = z.discriminatedUnion('ok', [
  IdentitySchema.extend({ type: z.literal('verify.result'), seq: Seq, ok: z.literal(true) }),
  z.object({
    type: z.literal('verify.result'),
    seq: Seq,
    ok: z.literal(false),
    reason: z.enum(VERIFY_REFUSALS),
    message: Text(200).optional(),
  }),
]);

const SessionId = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/);

/** Why a self-service session ended at the terminal's side: 取消 pressed, or nobody in front of it any more. */
export const SESSION_CANCEL_REASONS = ['cancelled', 'walked-away'] as const;
export type SessionCancelReason = (typeof SESSION_CANCEL_REASONS)[number];
/** Why the terminal's scanner gave no payment code: 取消 pressed, nothing presented in time, or not a payment code. */
export const PAYCODE_REFUSALS = ['cancelled', 'timeout', 'unreadable'] as const;
export type PayCodeRefusal = (typeof PAYCODE_REFUSALS)[number];

/**
 * A WeChat / Alipay payment code (付款码) as the terminal's scanner read it: digits only, 16–24 of them (WeChat
 * 18 digits from 10–15, Alipay 16–24 from 25–30). Which wallet it is, and whether it is one, the station decides.
 */
const PayCode = z.string().regex(/^\d{16,24}$/);

const PayCodeResultSchema = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('session.paycode.result'), sessionId: SessionId, seq: Seq, ok: z.literal(true), code: PayCode }),
  z.object({
    type: z.literal('session.paycode.result'),
    sessionId: SessionId,
    seq: Seq,
    ok: z.literal(false),
    reason: z.enum(PAYCODE_REFUSALS),
  }),
]);

const TerminalMessageSchema = z.union([
  z.object({ type: z.literal('pong'), seq: Seq, model: Text(64), firmware: Text(32), serial: Text(64) }),
  VerifyResultSchema,
  z.object({ type: z.literal('self-service'), sessionId: SessionId }),
  z.object({ type: z.literal('session.confirm'), sessionId: SessionId, seq: Seq }),
  z.object({ type: z.literal('session.cancel'), sessionId: SessionId, reason: z.enum(SESSION_CANCEL_REASONS) }),
  PayCodeResultSchema,
]);
export type TerminalMessage = z.infer<typeof TerminalMessageSchema>;

/** What the patient did at the terminal during a self-service session. */
export type FaceSessionEvent = Extract<TerminalMessage, { type: 'session.confirm' | 'session.cancel' | 'session.paycode.result' }>;

const SESSION_EVENT_TYPES: ReadonlySet<string> = new Set<FaceSessionEvent['type']>([
  'session.confirm',
  'session.cancel',
  'session.paycode.result',
]);

export function isSessionEvent(message: TerminalMessage): message is FaceSessionEvent {
  return SESSION_EVENT_TYPES.has(message.type);
}

/**
 * The screens the station shows on the terminal during a self-service session. `orders` and `split` wait for
 * the patient (确认 / 取消); `paying` (a step is running), `result` and `error` only inform, and are followed by
 * the next screen or by `session.end`.
 */
export const SESSION_SCREENS = ['orders', 'split', 'paying', 'result', 'error'] as const;
export type SessionScreenName = (typeof SESSION_SCREENS)[number];
export const CONFIRMABLE_SCREENS: readonly SessionScreenName[] = ['orders', 'split'];

const Fen = z.number().int().min(0).max(10_000_000_000); // 1 亿元

/** A screen for the terminal, checked before it is sent: short texts, at most 20 lines, amounts in fen. */
export const SessionScreenSchema = z.object({
  screen: z.enum(SESSION_SCREENS),
  title: Text(40),
  lines: z
    .array(z.object({ label: Text(40), amountFen: Fen }))
    .max(20)
    .default([]),
  totalFen: Fen.optional(),
  cashFen: Fen.optional(),
  message: Text(200).optional(),
});
export type SessionScreen = z.input<typeof SessionScreenSchema>;

export const SESSION_END_REASONS = ['completed', 'cancelled', 'timeout', 'failed', 'busy'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

export type StationMessage =
  | { type: 'ping'; seq: number }
  | { type: 'verify'; seq: number; outBizNo: string; timeoutS: number }
  | { type: 'cancel'; seq: number }
  | ({ type: 'session.show'; seq: number; sessionId: string } & z.output<typeof SessionScreenSchema>)
  | { type: 'session.paycode'; seq: number; sessionId: string; amountFen: number; timeoutS: number; message?: string }
  | { type: 'session.end'; seq: number; sessionId: string; reason: SessionEndReason };

/** The session messages the station sends, without the sequence number the driver gives them. */
export type SessionCommand =
  | { type: 'session.show'; sessionId: string; screen: SessionScreen }
  | { type: 'session.paycode'; sessionId: string; amountFen: number; timeoutS: number; message?: string }
  | { type: 'session.end'; sessionId: string; reason: SessionEndReason };

/** Checks a session command and gives its wire form for `seq`; refuses (with a reason) what the terminal must not get. */
export function sessionMessage(
  command: SessionCommand,
  seq: number,
): { ok: true; message: StationMessage } | { ok: false; problem: string } {
  if (!SessionId.safeParse(command.sessionId).success) return { ok: false, problem: '会话号不符合协议' };
  switch (command.type) {
    case 'session.show': {
      const screen = SessionScreenSchema.safeParse(command.screen);
      if (!screen.success) return { ok: false, problem: '屏幕内容不符合协议' };
      return { ok: true, message: { type: 'session.show', seq, sessionId: command.sessionId, ...screen.data } };
    }
    case 'session.paycode':
      if (!Fen.safeParse(command.amountFen).success || command.amountFen === 0) return { ok: false, problem: '付款金额无效' };
      if (!Number.isInteger(command.timeoutS) || command.timeoutS < 1 || command.timeoutS > 600)
        return { ok: false, problem: '等待时间无效' };
      if (command.message !== undefined && !Text(200).safeParse(command.message).success) return { ok: false, problem: '提示文字无效' };
      return {
        ok: true,
        message: {
          type: 'session.paycode',
          seq,
          sessionId: command.sessionId,
          amountFen: command.amountFen,
          timeoutS: command.timeoutS,
          ...(command.message === undefined ? {} : { message: command.message }),
        },
      };
    case 'session.end':
      if (!(SESSION_END_REASONS as readonly string[]).includes(command.reason)) return { ok: false, problem: '结束原因无效' };
      return { ok: true, message: { type: 'session.end', seq, sessionId: command.sessionId, reason: command.reason } };
  }
}

export function decodeTerminalMessage(line: string): { ok: true; message: TerminalMessage } | { ok: false; problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, problem: '不是 JSON' };
  }
  const parsed = TerminalMessageSchema.safeParse(value);
  if (!parsed.success) return { ok: false, problem: '不符合协议' };
  return { ok: true, message: parsed.data };
}

export function encodeStationMessage(message: StationMessage): Uint8Array {
  return Buffer.from(`${JSON.stringify(message)}\n`, 'utf8');
}

export function identityOf(message: Extract<TerminalMessage, { type: 'verify.result'; ok: true }>): FaceIdentity {
  const { authNo, ecToken, idNo, userName, insuOrg } = message;
  return { authNo, ecToken, idNo, userName, insuOrg };
}
