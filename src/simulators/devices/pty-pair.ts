/**
 * A virtual serial cable: `socat` joins two pseudo-terminals and links them at `<dir>/station` (the app opens
 * it like /dev/ttyACM0) and `<dir>/device` (the emulator writes there). Killing socat is an unplug — both links
 * vanish and open ends get EIO, as with a USB CDC device pulled out — and a new socat at the same links is a
 * replug under the same name.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  stationPath: string;
  devicePath: string;
  /** whether the cable is currently plugged in (socat running) */
  readonly plugged: boolean;
  /** Kills socat; resolves when it has exited and both links are gone. */
  unplug(): Promise<void>;
  /** Starts a new socat at the same link paths; resolves when both links exist. */
  replug(): Promise<void>;
  /** Unplugs if needed and removes the directory if this pair created it. Idempotent. */
  close(): Promise<void>;
}

export interface PtyPairOptions {
  /** directory for the links; a fresh temporary directory (removed on close) by default */
  dir?: string;
  /** how long to wait for socat to set up the ptys */
  startTimeoutMs?: number;
}

let socatAvailable: boolean | undefined;

/** For tests to skip with a clear reason on machines without socat (`apt-get install socat`). */
export function isSocatAvailable(): boolean {
  socatAvailable ??= spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
  return socatAvailable;
}

export const SOCAT_MISSING_REASON = 'socat is not installed: pty device tests need it (apt-get install socat)';

export async function createPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'yibao-pty-')));
  const stationPath = join(dir, 'station');
  const devicePath = join(dir, 'device');
  const startTimeoutMs = options.startTimeoutMs ?? 5000;
  let socat: ChildProcess | undefined;
  let closed = false;

  const plug = async (): Promise<void> => {
    // Links left behind by a socat that died hard would make us believe the new one is ready.
    await Promise.all([rm(stationPath, { force: true }), rm(devicePath, { force: true })]);
    const child = await startSocat(stationPath, devicePath, startTimeoutMs);
    socat = child;
    // A socat that dies on its own is an unplug too.
    child.once('exit', () => {
      if (socat === child) socat = undefined;
    });
  };

  const unplug = async (): Promise<void> => {
    const running = socat;
    socat = undefined;
    if (running) await stopProcess(running);
    // socat removes its links on SIGTERM; after a SIGKILL they would dangle, so make sure.
    await Promise.all([rm(stationPath, { force: true }), rm(devicePath, { force: true })]);
  };

  try {
    await plug();
  } catch (error) {
    if (ownsDir) await rm(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    stationPath,
    devicePath,
    get plugged() {
      return socat !== undefined;
    },
    unplug,
    async replug() {
      if (closed) throw new Error('pty pair is closed');
      if (socat) throw new Error('pty pair is already plugged in');
      await plug();
    },
    async close() {
      if (closed) return;
      closed = true;
      await unplug();
      if (ownsDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

function startSocat(stationPath: string, devicePath: string, timeoutMs: number): Promise<ChildProcess> {
  // raw,echo=0 on both ends: bytes pass untouched (no CR→LF mapping, no echo back to the device).
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${stationPath}`, `pty,raw,echo=0,link=${devicePath}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let log = '';
    const fail = (reason: string) => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`socat did not start: ${reason}\n${log}`));
    };
    const timer = setTimeout(() => fail(`no data loop after ${timeoutMs} ms`), timeoutMs);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited early (code ${code}, signal ${signal})`);
    const onError = (error: Error) => fail(error.message);
    const onStderr = (chunk: Buffer) => {
      log += chunk.toString('utf8');
      // Printed once both ptys exist and their links are made.
      if (!log.includes('starting data transfer loop')) return;
      cleanup();
      void Promise.all([lstat(stationPath), lstat(devicePath)]).then(
        () => resolve(child),
        (error: Error) => {
          child.kill('SIGKILL');
          reject(new Error(`socat started but a link is missing: ${error.message}`));
        },
      );
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('error', onError);
      child.stderr?.off('data', onStderr);
      // Keep draining stderr so socat never blocks on a full pipe.
      child.stderr?.resume();
    };
    child.on('exit', onExit);
    child.on('error', onError);
    child.stderr?.on('data', onStderr);
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const escalate = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(escalate);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
