/**
 * Child process of bench/identify.ts: opens a configured station from disk and answers one call, then prints
 * the time since this process started (performance.now() counts from process start): node start, module
 * loading, SQLite open, keys, NHSA client, devices.
 */
import { createStationFromConfig } from '../src/app/compose';

const dataDir = process.argv[2]!;
const s = await createStationFromConfig({ dataDir, training: false, shell: 'browser' });
const info = await s.core.dispatch(s.core.openSession('ws'), 'stationInfo', {});
const elapsed = performance.now();
await s.close();
if (!info.ok) process.exit(1);
console.log(JSON.stringify({ elapsedMs: elapsed }));
