import { afterEach, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFileLogger, type FileLogger } from './file-logger';
import { CRASH_EXIT_CODE, installCrashHandlers } from './crash-handlers';
import { CRASH_FILE } from './crash-record';

const dirs: string[] = [];
const loggers: FileLogger[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-log-'));
  dirs.push(dir);
  return dir;
};
const open = async (dir: string, options: Parameters<typeof createFileLogger>[1] = {}) => {
  const logger = await createFileLogger(dir, options);
  loggers.push(logger);
  return logger;
};
const logFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.log'));
const lines = (dir: string) =>
  logFiles(dir)
    .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

afterEach(async () => {
  for (const l of loggers.splice(0)) await l.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('file logger', () => {
  it('writes JSON lines with level, capability and redacted fields', async () => {
    const dir = tempDir();
    const logger = await open(dir, { base: { stationId: 'window-03' } });
    logger.child({ capability: 'outbox' }).warn('intent 9f1c unknown for 350203198807150011', { psnName: '张三', intentId: 'i-1' });
    logger.debug('not written at info');
    logger.flushSync();
    const [line, ...rest] = lines(dir);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: 'warn', capability: 'outbox', stationId: 'window-03', intentId: 'i-1', psnName: '[REDACTED]' });
    expect(line!.msg).toBe('intent 9f1c unknown for [REDACTED]');
    expect(JSON.stringify(line)).not.toContain('张三');
  });

  it('rolls by size and keeps only the newest files, those of earlier runs counted', async () => {
    const dir = tempDir();
    for (let n = 1; n <= 4; n++)
      fs.writeFileSync(path.join(dir, `station.${n}.log`), `${JSON.stringify({ msg: 'line 0 of an earlier run' })}\n`);
    const logger = await open(dir, { size: '1k', keep: 2 });
    const filler = 'x'.repeat(300);
    for (let i = 0; i < 40; i++) {
      logger.info(`line ${i} ${filler}`);
      // pino-roll rolls after a write drains: flushing each line makes that happen line by line
      logger.flushSync();
      await new Promise((r) => setImmediate(r));
    }
    await logger.close();
    loggers.pop();
    await expect.poll(() => logFiles(dir).length).toBeLessThanOrEqual(2);
    expect(logFiles(dir)).not.toContain('station.1.log');
    const numbers = lines(dir).map((l) => Number(String(l.msg).split(' ')[1]));
    expect(numbers).toContain(39);
    expect(numbers).not.toContain(0);
  });

  it('keeps the last lines in memory for a crash record', async () => {
    const logger = await open(tempDir(), { recent: 3 });
    for (let i = 0; i < 5; i++) logger.info(`step ${i}`);
    expect(logger.recentLines().map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['step 2', 'step 3', 'step 4']);
  });
});

describe('crash handlers', () => {
  it.each(['uncaughtException', 'unhandledRejection'] as const)('on %s write a redacted crash record, then exit non-zero', async (kind) => {
    const dir = tempDir();
    const logger = await open(dir);
    logger.info('settling order for phone 13812345678');
    const target = new EventEmitter();
    const exits: number[] = [];
    const remove = installCrashHandlers({
      logger,
      version: '9.9.9',
      exit: (c) => exits.push(c),
      target: target as unknown as NodeJS.Process,
    });
    target.emit(kind, new Error('disk said no for 11010519491231002X'));
    remove();
    expect(exits).toEqual([CRASH_EXIT_CODE]);
    const [file, ...more] = fs.readdirSync(dir).filter((f) => CRASH_FILE.test(f));
    expect(more).toEqual([]);
    const text = fs.readFileSync(path.join(dir, file!), 'utf8');
    const record = JSON.parse(text) as { kind: string; version: string; error: { message: string }; lastLogLines: string[] };
    expect(record).toMatchObject({ kind, version: '9.9.9', error: { message: 'disk said no for [REDACTED]' } });
    expect(record.lastLogLines.some((l) => l.includes('settling order for phone [REDACTED]'))).toBe(true);
    expect(text).not.toMatch(/13812345678|11010519491231002X/);
    // the crash is also in the log file
    expect(lines(dir).some((l) => l.level === 'error' && String(l.msg).includes(kind))).toBe(true);
  });
});
