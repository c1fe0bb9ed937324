/**
 * Entry of Electron's utility process (bundled to dist/main/core.cjs by scripts/build-main.mjs). Electron
 * gives a utility process `process.parentPort`; it is typed here by its shape so src/app stays free of
 * `electron`. Run any other way it refuses to start.
 */
import { runCoreProcess, type ParentPortLike } from './core-process';

process.setSourceMapsEnabled(true);

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (!parentPort) {
  console.error('[core] this entry runs only as an Electron utility process (no process.parentPort)');
  process.exit(2);
} else {
  runCoreProcess(parentPort);
}
