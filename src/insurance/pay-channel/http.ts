/**
 * The HTTP leg of the JSON clients (payment platform, message gateway, HIS): one POST, one deadline for
 * connecting, sending and reading the whole body. A failure is reported, never thrown and never guessed at —
 * whether the other side acted is for the caller to treat as unknown.
 */
import { AnswerTooLargeError, DEFAULT_MAX_ANSWER_BYTES, NO_REDIRECTS, isRedirect, readBoundedText } from '../http';

export type HttpReply =
  { kind: 'answered'; status: number; body: string } | { kind: 'failed'; reason: 'timeout' | 'network'; detail: string };

/**
 * A redirect comes back as its own status (never followed; every caller treats a non-200 as unknown); an answer
 * over `maxBytes` is a network failure — also unknown.
 */
export async function postJson(
  fetchFn: typeof fetch,
  url: string,
  body: string,
  timeoutMs: number,
  maxBytes = DEFAULT_MAX_ANSWER_BYTES,
): Promise<HttpReply> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=utf-8', accept: 'application/json' },
      body,
      signal,
      ...NO_REDIRECTS,
    });
    if (isRedirect(response.status)) {
      void response.body?.cancel().catch(() => undefined);
      return { kind: 'answered', status: response.status, body: '' };
    }
    return { kind: 'answered', status: response.status, body: await readBoundedText(response, maxBytes) };
  } catch (error) {
    if (error instanceof AnswerTooLargeError) return { kind: 'failed', reason: 'network', detail: error.message };
    if (signal.aborted) return { kind: 'failed', reason: 'timeout', detail: `no complete answer within ${timeoutMs} ms` };
    return { kind: 'failed', reason: 'network', detail: describeNetworkError(error) };
  }
}

/** "fetch failed (ECONNRESET)" — the error and its cause's code, never the request (it may hold personal data). */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const causeText = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return causeText ? `${error.message} (${causeText})` : error.message;
}

/** The JSON object in `text`, or undefined for anything else (arrays, scalars, broken JSON). */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
