/**
 * The HTTP leg: one JSON POST per call, either to `${baseUrl}/${infno}` (TIF-style gateways) or to one URL for
 * every transaction. A failure here is reported, never thrown, and never guessed at: whether the centre acted
 * is for the caller to treat as unknown.
 */
import { AnswerTooLargeError, DEFAULT_MAX_ANSWER_BYTES, DEFAULT_MAX_FILE_BYTES, NO_REDIRECTS, isRedirect, readBoundedText } from '../http';
import type { RequestEnvelope } from './envelope';

export type HttpReply =
  | { kind: 'answered'; status: number; body: string }
  | { kind: 'failed'; reason: 'timeout' | 'network' | 'redirect' | 'too-large'; detail: string };

/**
 * A file download (9102) answers with the bytes themselves (`application/octet-stream`), or with a JSON envelope
 * when the centre refuses. The bytes go to `sink` as they arrive, so a large catalogue never sits in memory.
 */
export type FileReply = { kind: 'file'; status: number; bytes: number } | HttpReply;

/** Receives a download chunk by chunk; a rejection aborts the download and is rethrown to the caller. */
export type ByteSink = (chunk: Uint8Array) => Promise<void> | void;

/** Pluggable so that a province's gateway (headers, tokens) can wrap or replace the plain POST. */
export interface NhsaTransport {
  post(infno: string, envelope: RequestEnvelope): Promise<HttpReply>;
  /** Only transports that serve file downloads implement it. */
  postForFile?(infno: string, envelope: RequestEnvelope, sink: ByteSink): Promise<FileReply>;
}

export interface HttpTransportOptions {
  baseUrl: string;
  urlStyle: 'per-infno' | 'single';
  timeoutMs: number;
  /** Deadline for a whole download; defaults to timeoutMs. */
  fileTimeoutMs?: number;
  fetch: typeof fetch;
  /** Largest JSON answer read (default 1 MB); a larger one is an unknown outcome. */
  maxAnswerBytes?: number;
  /** Largest downloaded file (default 8 MB). */
  maxFileBytes?: number;
}

const JSON_HEADERS = { 'content-type': 'application/json;charset=utf-8', accept: 'application/json' };

export class HttpTransport implements NhsaTransport {
  constructor(private readonly options: HttpTransportOptions) {}

  private get maxAnswerBytes(): number {
    return this.options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  }

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
        headers: JSON_HEADERS,
        body: JSON.stringify(envelope),
        signal,
        ...NO_REDIRECTS,
      });
      if (isRedirect(response.status)) return redirected(response);
      const body = await readBoundedText(response, this.maxAnswerBytes);
      return { kind: 'answered', status: response.status, body };
    } catch (error) {
      return failure(error, signal, timeoutMs);
    }
  }

  async postForFile(infno: string, envelope: RequestEnvelope, sink: ByteSink): Promise<FileReply> {
    const timeoutMs = this.options.fileTimeoutMs ?? this.options.timeoutMs;
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await this.options.fetch(this.urlFor(infno), {
        method: 'POST',
        headers: { ...JSON_HEADERS, accept: 'application/octet-stream, application/json' },
        body: JSON.stringify(envelope),
        signal,
        ...NO_REDIRECTS,
      });
    } catch (error) {
      return failure(error, signal, timeoutMs);
    }
    if (isRedirect(response.status)) return redirected(response);
    const isFile = response.ok && response.body !== null && !/json/i.test(response.headers.get('content-type') ?? '');
    if (!isFile) {
      try {
        return { kind: 'answered', status: response.status, body: await readBoundedText(response, this.maxAnswerBytes) };
      } catch (error) {
        return failure(error, signal, timeoutMs);
      }
    }

    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const maxFileBytes = this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    let bytes = 0;
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>; // ReadableStreamReadResult is a DOM global, not Node's
      try {
        chunk = await reader.read();
      } catch (error) {
        return failure(error, signal, timeoutMs);
      }
      if (chunk.done) return { kind: 'file', status: response.status, bytes };
      bytes += chunk.value.length;
      if (bytes > maxFileBytes) {
        await reader.cancel().catch(() => undefined);
        return failure(new AnswerTooLargeError(maxFileBytes), signal, timeoutMs);
      }
      try {
        await sink(chunk.value);
      } catch (error) {
        // Our side failed (disk full): stop reading and let the caller see its own error.
        await reader.cancel().catch(() => undefined);
        throw error;
      }
    }
  }
}

/** Never followed: the answer of another address is not the centre's, so whether the centre acted is unknown. */
function redirected(response: Response): HttpReply {
  void response.body?.cancel().catch(() => undefined);
  return { kind: 'failed', reason: 'redirect', detail: `HTTP ${response.status} redirect (not followed)` };
}

function failure(error: unknown, signal: AbortSignal, timeoutMs: number): HttpReply {
  if (error instanceof AnswerTooLargeError) return { kind: 'failed', reason: 'too-large', detail: error.message };
  if (signal.aborted) return { kind: 'failed', reason: 'timeout', detail: `no complete answer within ${timeoutMs} ms` };
  return { kind: 'failed', reason: 'network', detail: describeNetworkError(error) };
}

/** "fetch failed (ECONNRESET)" — the error and its cause's code, without the request (it may hold personal data). */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const causeText = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return causeText ? `${error.message} (${causeText})` : error.message;
}
