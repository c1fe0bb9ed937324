/**
 * The HTTP leg: one JSON POST per call, either to `${baseUrl}/${infno}` (TIF-style gateways) or to one URL for
 * every transaction. A failure here is reported, never thrown, and never guessed at: whether the centre acted
 * is for the caller to treat as unknown.
 */
import type { RequestEnvelope } from './envelope';

export type HttpReply =
  | { kind: 'answered'; status: number; body: string }
  | { kind: 'failed'; reason: 'timeout' | 'network'; detail: string };

/** Pluggable so that a province's gateway (headers, tokens) can wrap or replace the plain POST. */
export interface NhsaTransport {
  post(infno: string, envelope: RequestEnvelope): Promise<HttpReply>;
}

export interface HttpTransportOptions {
  baseUrl: string;
  urlStyle: 'per-infno' | 'single';
  timeoutMs: number;
  fetch: typeof fetch;
}

export class HttpTransport implements NhsaTransport {
  constructor(private readonly options: HttpTransportOptions) {}

  urlFor(infno: string): string {
    const { baseUrl, urlStyle } = this.options;
    return urlStyle === 'per-infno' ? `${baseUrl}/${encodeURIComponent(infno)}` : baseUrl;
  }

  async post(infno: string, envelope: RequestEnvelope): Promise<HttpReply> {
    const { timeoutMs } = this.options;
    // One deadline for connecting, sending and reading the whole body: a half-read answer is no answer.
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await this.options.fetch(this.urlFor(infno), {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=utf-8', accept: 'application/json' },
        body: JSON.stringify(envelope),
        signal,
      });
      const body = await response.text();
      return { kind: 'answered', status: response.status, body };
    } catch (error) {
      if (signal.aborted) return { kind: 'failed', reason: 'timeout', detail: `no complete answer within ${timeoutMs} ms` };
      return { kind: 'failed', reason: 'network', detail: describeNetworkError(error) };
    }
  }
}

/** "fetch failed (ECONNRESET)" — the error and its cause's code, without the request (it may hold personal data). */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const causeText = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return causeText ? `${error.message} (${causeText})` : error.message;
}
