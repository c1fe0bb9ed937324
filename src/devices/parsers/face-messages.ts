/**
 * The face terminal protocol: one UTF-8 JSON object per LF-terminated line, both ways (docs/devices.md).
 *
 * station → terminal: `ping`, `verify` (with the outBizNo of the business it is for), `cancel`
 * terminal → station: `pong`, `verify.result` (the identity, or why not), `self-service` (a patient started
 * at the terminal on their own, HX-T1)
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

const Seq = z.number().int().min(1).max(2 ** 31 - 1);
/** JSON escapes let a line carry control characters; no field of ours may hold one. */
const Text = (max: number) => z.string().min(1).max(max).refine((text) => !hasControlCharacter(text));

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

const TerminalMessageSchema = z.union([
  z.object({ type: z.literal('pong'), seq: Seq, model: Text(64), firmware: Text(32), serial: Text(64) }),
  VerifyResultSchema,
  z.object({ type: z.literal('self-service'), sessionId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/) }),
]);
export type TerminalMessage = z.infer<typeof TerminalMessageSchema>;

export type StationMessage =
  | { type: 'ping'; seq: number }
  | { type: 'verify'; seq: number; outBizNo: string; timeoutS: number }
  | { type: 'cancel'; seq: number };

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

export function identityOf(message: Extract<TerminalMessage, { ok: true }>): FaceIdentity {
  const { authNo, ecToken, idNo, userName, insuOrg } = message;
  return { authNo, ecToken, idNo, userName, insuOrg };
}
