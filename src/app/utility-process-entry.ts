/**
 * Entry of Electron's utility process (bundled to dist/main/core.cjs by scripts/build-main.mjs). Electron
 * gives a utility process `process.parentPort`; it is typed here by its shape so src/app stays free of
 * `electron`. Run any other way it refuses to start.
 */
import { runCoreProcess, type ParentPortLike } from './core-process';
import { installCoreCrashHandlers } from './core-entry';

process.setSourceMapsEnabled(true);

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (!parentPort) {
  process.stderr.write('[core] this entry runs only as an Electron utility process (no process.parentPort)\n');
  process.exit(2);
} else {
  // A crash leaves a record in <dataDir>/logs and exits non-zero; the shell's CoreSupervisor starts a new core.
  runCoreProcess(parentPort, { onStarted: (composed) => installCoreCrashHandlers(composed) });
}
