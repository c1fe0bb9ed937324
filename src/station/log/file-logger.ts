/**
 * The logger behind the port: pino writing JSON lines to `<dataDir>/logs/station.N.log`, rolled by size and
 * daily by pino-roll, the oldest beyond `keep` removed. pino-roll's stream is created here, in this process,
 * and handed to pino as its destination: a pino *transport* would run in a worker thread loaded by file name,
 * which the Electron bundle (one core.cjs) cannot provide. The last lines are also kept in memory for the
 * crash record.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import pinoRoll from 'pino-roll';
import { redactText, redactValue } from './redact';
import type { LogFields, Logger, LogLevel } from './logger';

export interface FileLoggerOptions {
  level?: LogLevel;
  /** Rolled when a file reaches this size ('10m', '512k'). */
  size?: string;
  /** Log files kept in the folder, the current one included (older ones, of earlier runs too, are removed). */
  keep?: number;
  /** Lines kept in memory for a crash record. */
  recent?: number;
  /** Fields on every line (station id, version, process). */
  base?: LogFields;
}

export interface FileLogger extends Logger {
  readonly dir: string;
  /** The last lines written (already redacted), oldest first. */
  recentLines(): string[];
  /** Writes what is buffered now (a crash handler calls it before the process leaves). */
  flushSync(): void;
  close(): Promise<void>;
}

export const LOG_FILE_BASE = 'station';

export async function createFileLogger(dir: string, options: FileLoggerOptions = {}): Promise<FileLogger> {
  fs.mkdirSync(dir, { recursive: true });
  const roll = await pinoRoll({
    file: path.join(dir, LOG_FILE_BASE),
    extension: '.log',
    size: options.size ?? '10m',
    frequency: 'daily',
    // Counted over the folder, not only this run's files: a core restarted every day must not pile them up.
    limit: { count: options.keep ?? 14, removeOtherLogFiles: true },
    mkdir: true,
    // Each line reaches the file before the call returns: a core that dies next leaves it behind. The station
    // logs movements and faults, not traffic, so a write per line is cheap.
    sync: true,
  });
  const recent: string[] = [];
  const recentMax = options.recent ?? 200;
  const destination = {
    write(line: string) {
      recent.push(line.trimEnd());
      if (recent.length > recentMax) recent.shift();
      if (closed) return;
      try {
        roll.write(line);
      } catch {
        // A full or failing disk must not take the core down with its log: the line stays in memory.
      }
    },
  };
  let closed = false;
  const root = pino(
    {
      level: options.level ?? 'info',
      base: (redactValue(options.base ?? {}) as LogFields) ?? {},
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  const wrap = (p: pino.Logger): Logger => {
    const at = (level: LogLevel) => (message: string, fields?: LogFields) => {
      if (!p.isLevelEnabled(level)) return;
      p[level]((fields ? redactValue(fields) : {}) as object, redactText(message));
    };
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (bindings) => wrap(p.child(redactValue(bindings) as LogFields)),
    };
  };
  return {
    ...wrap(root),
    dir,
    recentLines: () => [...recent],
    flushSync: () => {
      try {
        roll.flushSync();
      } catch {
        // nothing buffered, or the file is gone: the crash record still carries the last lines
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        roll.once('close', () => resolve());
        roll.end();
      }),
  };
}
