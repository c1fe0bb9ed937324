/**
 * Test support: builds native/libsscard (the fake vendor card-reading library) with the system C compiler,
 * once per test run, by running native/build.mjs — which skips the compiler when the library is up to date
 * and renames atomically, so parallel test workers can all ask.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BUILD_SCRIPT = fileURLToPath(new URL('../../../native/build.mjs', import.meta.url));

let built: string | undefined;

/** The path of the built library; throws with the compiler's output when it cannot be built. */
export function buildNativeCardLibrary(): string {
  if (built) return built;
  const result = spawnSync(process.execPath, [BUILD_SCRIPT], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building native/libsscard failed:\n${result.stderr}`);
  built = result.stdout.trim();
  return built;
}
