/**
 * Reading a remote's answer without trusting it: redirects are never followed (an answer from another address is
 * not the remote's answer — for a call that moves money it is an unknown outcome), and a body is read only up to a
 * cap (a gateway that streams without end must not fill the station's memory).
 */

/** Every remote call passes this to fetch: a 3xx comes back as the answer, to be treated as unknown. */
export const NO_REDIRECTS = { redirect: 'manual' } as const satisfies RequestInit;

export const DEFAULT_MAX_ANSWER_BYTES = 1024 * 1024;
// Catalogue files (9102) run to tens of megabytes; they stream to disk, so the cap guards the disk, not memory.
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

export class AnswerTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`answer over ${maxBytes} bytes`);
    this.name = 'AnswerTooLargeError';
  }
}

export function isRedirect(status: number): boolean {
  return (status >= 300 && status < 400) || status === 0;
}

/**
 * The body as UTF-8 text, or AnswerTooLargeError as soon as more than `maxBytes` arrived (a declared
 * content-length over the cap is refused before reading). Other stream failures are rethrown as they are.
 */
export async function readBoundedText(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new AnswerTooLargeError(maxBytes);
  }
  if (response.body === null) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    total += chunk.value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new AnswerTooLargeError(maxBytes);
    }
    chunks.push(chunk.value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
