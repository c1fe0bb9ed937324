#!/usr/bin/env node
// Builds the fake card-reader library (native/sscard → native/build/libsscard.so / .dylib) with the system C
// compiler (`cc`, or $CC). Tests, the devices benchmark and training mode load it through koffi.
//   node native/build.mjs [--force]
// Prints the library path. Skips the compiler when the library is newer than its sources; writes to a
// temporary file and renames it, so parallel test workers never load a half-written library.
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const nativeDir = path.dirname(fileURLToPath(import.meta.url));
const sources = ['sscard/sscard.c', 'sscard/sscard.h'].map((file) => path.join(nativeDir, file));
const extension = process.platform === 'darwin' ? 'dylib' : 'so';

export const SSCARD_LIBRARY_PATH = path.join(nativeDir, 'build', `libsscard.${extension}`);

function isUpToDate(output) {
  try {
    const built = statSync(output).mtimeMs;
    return sources.every((source) => statSync(source).mtimeMs <= built);
  } catch {
    return false;
  }
}

/** Builds the library when needed; returns its path. Throws with the compiler's output on failure. */
export function buildSscard({ force = false } = {}) {
  if (process.platform === 'win32') {
    // The fake uses POSIX threads; on Windows stations the vendor's own DLL is what gets loaded.
    throw new Error('native/build.mjs: the fake card-reader library builds on Linux and macOS only');
  }
  if (!force && isUpToDate(SSCARD_LIBRARY_PATH)) return SSCARD_LIBRARY_PATH;
  mkdirSync(path.dirname(SSCARD_LIBRARY_PATH), { recursive: true });
  const temporary = `${SSCARD_LIBRARY_PATH}.${process.pid}.tmp`;
  const compiler = process.env.CC || 'cc';
  const args = [
    '-shared',
    '-fPIC',
    '-O2',
    '-std=c11',
    '-Wall',
    '-Wextra',
    '-Werror',
    '-fvisibility=hidden', // export only the ABI and Sim* functions
    '-pthread',
    '-o',
    temporary,
    sources[0],
  ];
  const result = spawnSync(compiler, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    rmSync(temporary, { force: true });
    const reason = result.error ? result.error.message : `exit code ${result.status}`;
    throw new Error(`native/build.mjs: ${compiler} failed (${reason})\n${result.stderr ?? ''}`);
  }
  renameSync(temporary, SSCARD_LIBRARY_PATH);
  return SSCARD_LIBRARY_PATH;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    console.log(buildSscard({ force: process.argv.includes('--force') }));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
