/**
 * Writes a small file so that a power cut leaves either the old content or the new, never a torn or empty
 * file: temp file, fsync, rename over, fsync the folder (the rename itself lives in the folder's entry).
 * Owner-only (0600) because these are keys.
 */
import fs from 'node:fs';
import path from 'node:path';

export function writeFileDurably(file: string, content: string | Uint8Array): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = fs.openSync(temp, 'w', 0o600);
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  fsyncDir(dir);
}

/** Windows cannot open a folder for fsync; NTFS journals the rename itself. */
function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
