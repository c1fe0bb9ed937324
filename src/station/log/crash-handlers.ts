/**
 * Process-level last resort for the core: an exception nobody caught or a rejection nobody handled leaves a
 * crash record, and the process exits non-zero so its supervisor (the Electron shell's CoreSupervisor, or the
 * person who ran `npm start`) starts a fresh core — whose outbox resolves whatever was in doubt.
 */
import { writeCrashRecord } from './crash-record';
import { errorFields } from './logger';
import type { FileLogger } from './file-logger';

export interface CrashHandlerDeps {
  logger: Pick<FileLogger, 'dir' | 'error' | 'flushSync' | 'recentLines'>;
  version: string;
  exit?: (code: number) => void;
  /** Where the handlers are installed (a test passes an emitter of its own). */
  target?: Pick<NodeJS.Process, 'on' | 'off'>;
}

export const CRASH_EXIT_CODE = 70; // EX_SOFTWARE

/** Returns a function that removes the handlers. */
export function installCrashHandlers(deps: CrashHandlerDeps): () => void {
  const target = deps.target ?? process;
  const exit = deps.exit ?? ((code: number) => process.exit(code));
  let crashed = false;
  const crash = (kind: 'uncaughtException' | 'unhandledRejection') => (error: unknown) => {
    if (crashed) return;
    crashed = true;
    try {
      deps.logger.error(`core crashed (${kind})`, errorFields(error));
      deps.logger.flushSync();
      writeCrashRecord(deps.logger.dir, { kind, error, version: deps.version, lastLogLines: deps.logger.recentLines() });
    } finally {
      exit(CRASH_EXIT_CODE);
    }
  };
  const onException = crash('uncaughtException');
  const onRejection = crash('unhandledRejection');
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return () => {
    target.off('uncaughtException', onException);
    target.off('unhandledRejection', onRejection);
  };
}
