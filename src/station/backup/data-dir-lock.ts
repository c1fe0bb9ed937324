/**
 * One station per data dir, and no restore under a running one: `station.lock` holds the running process's
 * pid. A lock left by a killed process (its pid is gone) is stale and taken over, so a crash never needs IT.
 */
import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'station.lock';

export interface DataDirLock {
  release(): void;
}

/** The pid of the live process holding the data dir, or null. */
export function dataDirHolder(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'), 10);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return processAlive(pid) ? pid : null;
}

export function lockDataDir(dataDir: string): DataDirLock {
  const file = path.join(dataDir, LOCK_FILE);
  const holder = dataDirHolder(dataDir);
  if (holder !== null && holder !== process.pid) {
    throw new Error(`数据目录 ${dataDir} 正由另一个工作站进程（pid ${holder}）使用。`);
  }
  fs.writeFileSync(file, String(process.pid), { mode: 0o600 });
  return {
    release: () => {
      if (dataDirHolder(dataDir) === process.pid) fs.rmSync(file, { force: true });
    },
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, owned by another user (a station running as a service account).
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
