/**
 * The HTTP leg of the JSON clients (payment platform, message gateway, HIS): one POST, one deadline for
 * connecting, sending and reading the whole body. A failure is reported, never thrown and never guessed at —
 * whether the other side acted is for the caller to treat as unknown.
 */
export type HttpReply =
  { kind: 'answered'; status: number; body: string } | { kind: 'failed'; reason: 'timeout' | 'network'; detail: string };

export async function postJson(fetchFn: typeof fetch, url: string, body: string, timeoutMs: number): Promise<HttpReply> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=utf-8', accept: 'application/json' },
      body,
      signal,
    });
    return { kind: 'answered', status: response.status, body: await response.text() };
  } catch (error) {
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
