/**
 * Crash-test child: a training core composed from the data dir it is given, with the crash handlers every shell
 * installs; then a rejection nobody handles (argv[3] 'rejection') or an exception nobody catches ('exception').
 */
import { installCoreCrashHandlers, startStationCore } from '../core-entry';

const [dataDir, kind] = process.argv.slice(2);
const station = await startStationCore({ dataDir: dataDir!, training: true, shell: 'browser', kdfCost: { N: 2 ** 14, r: 8, p: 1 } });
installCoreCrashHandlers(station);
station.logger.info('about to fail for patient 350203196804122036');
const error = new Error('a bug met patient 350203196804122036, phone 13812345678');
if (kind === 'rejection') void Promise.reject(error);
else
  setImmediate(() => {
    throw error;
  });
