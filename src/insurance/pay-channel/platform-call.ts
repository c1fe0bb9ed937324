/**
 * One signed call to the unified payment platform (its payment API and its message gateway share the
 * merchant account, the signature and the answer envelope), classified into a PayOutcome:
 *
 *   unknown   no answer, non-200, not a JSON object, unsigned or wrongly signed, another merchant or another
 *             order/refund/message named, SYSTEMERROR/BANKERROR, or a success whose fields do not read
 *   rejected  a verified refusal: return_code FAIL (the gate refused the request) or result_code FAIL with a
 *             definite err_code
 *   ok        a verified success (or a FAIL the operation reads as a state, like micropay USERPAYING)
 */
import type { z } from 'zod';
import { parseJsonObject, postJson } from './http';
import type { PayOutcome } from './outcome';
import { signedBody, verify, type WireFields } from './sign';

export interface PlatformConnection {
  baseUrl: string;
  mchId: string;
  key: string;
  timeoutMs: number;
  fetch: typeof fetch;
}

export interface Expectation<T> {
  /** Fields every answer must echo unchanged (what it is about: an order, a refund, a day, a message). */
  echo: Readonly<Record<string, string>>;
  read: z.ZodType<T>;
  /** A result_code FAIL that is not a rejection for this operation. */
  onFail?: (errCode: string) => PayOutcome<T> | undefined;
}

/** Answers meaning "the platform does not know yet": query again, never conclude. */
const UNKNOWN_RESULT_CODES: ReadonlySet<string> = new Set(['SYSTEMERROR', 'BANKERROR']);

/** The exact bytes sent for these fields: the same fields give the same bytes (a retry is identical). */
export function requestBody(conn: Pick<PlatformConnection, 'mchId' | 'key'>, fields: WireFields): string {
  return signedBody({ ...fields, mch_id: conn.mchId }, conn.key);
}

export async function callPlatform<T>(
  conn: PlatformConnection,
  path: string,
  fields: WireFields,
  expect: Expectation<T>,
): Promise<PayOutcome<T>> {
  const reply = await postJson(conn.fetch, `${conn.baseUrl}/${path}`, requestBody(conn, fields), conn.timeoutMs);
  if (reply.kind === 'failed') return { kind: 'unknown', reason: reply.reason, detail: reply.detail };
  if (reply.status !== 200) return { kind: 'unknown', reason: 'http-status', detail: `HTTP ${reply.status}` };
  const answer = parseJsonObject(reply.body);
  if (!answer) return { kind: 'unknown', reason: 'unparsable', detail: 'the answer is not a JSON object' };
  if (!verify(answer, conn.key)) {
    const text = typeof answer.return_msg === 'string' ? `: ${answer.return_msg}` : '';
    return { kind: 'unknown', reason: 'bad-signature', detail: `the answer's signature does not verify${text}` };
  }
  if (answer.mch_id !== conn.mchId)
    return { kind: 'unknown', reason: 'mismatch', detail: `the answer is for merchant ${String(answer.mch_id)}` };
  // Checked before anything is concluded: a genuine answer about something else, replayed, is no answer.
  for (const [name, value] of Object.entries(expect.echo)) {
    if (answer[name] !== value) {
      return { kind: 'unknown', reason: 'mismatch', detail: `the answer is about ${name} ${String(answer[name])}, not ${value}` };
    }
  }
  if (answer.return_code !== 'SUCCESS') return { kind: 'rejected', code: 'REQUEST_REFUSED', message: String(answer.return_msg ?? '') };
  if (answer.result_code !== 'SUCCESS') {
    const code = String(answer.err_code ?? '');
    const message = String(answer.err_code_des ?? '');
    if (UNKNOWN_RESULT_CODES.has(code) || code === '')
      return { kind: 'unknown', reason: 'platform-busy', detail: `${code} ${message}`.trim() };
    return expect.onFail?.(code) ?? { kind: 'rejected', code, message };
  }
  const read = expect.read.safeParse(answer);
  if (!read.success) {
    const where = [...new Set(read.error.issues.map((i) => i.path.join('.') || i.message))].join(', ');
    return { kind: 'unknown', reason: 'schema', detail: `unexpected answer fields: ${where}` };
  }
  return { kind: 'ok', value: read.data };
}
