/**
 * The core's logger port. Capabilities log through it (never `console.*`), each through a child that names it;
 * everything passes the redaction (redact.ts) before it is written, so no call site has to remember to.
 */
export type LogFields = Record<string, unknown>;
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose every line carries these fields (`capability` names the part of the core). */
  child(bindings: LogFields & { capability?: string }): Logger;
}

/** For tests and parts composed without a data dir: says nothing. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};

/** An error as log fields (its class, message and stack; redacted with the rest). */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { err: { type: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}), stack: error.stack ?? '' } };
  }
  return { err: { message: String(error) } };
}
