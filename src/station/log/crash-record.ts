/**
 * What a dying core leaves behind: `<logs>/crash-<time>.json` with the error, the version and the last log lines,
 * written synchronously (the process leaves right after) and redacted like every log line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { redactText, redactValue } from './redact';
import { errorFields } from './logger';

export interface CrashRecord {
  at: string;
  kind: 'uncaughtException' | 'unhandledRejection';
  version: string;
  pid: number;
  error: unknown;
  lastLogLines: string[];
}

export const CRASH_FILE = /^crash-.*\.json$/;

export function writeCrashRecord(
  dir: string,
  crash: { kind: CrashRecord['kind']; error: unknown; version: string; lastLogLines: readonly string[]; now?: Date },
): string {
  const at = (crash.now ?? new Date()).toISOString();
  const record: CrashRecord = {
    at,
    kind: crash.kind,
    version: crash.version,
    pid: process.pid,
    error: redactValue(errorFields(crash.error).err),
    lastLogLines: crash.lastLogLines.map(redactText),
  };
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `crash-${at.replaceAll(':', '-')}-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(record, null, 2), { mode: 0o600 });
  return file;
}
