/**
 * The core's entry: the one function every shell calls to get a running station core. The loopback host
 * (`npm start` without Electron, the e2e tests, the integration harness) calls it in its own process; the
 * Electron shell runs it in a utility process (src/app/core-process.ts) and relays IPC to it over a
 * MessagePort — so whatever the e2e tests exercise is what the Electron window talks to.
 */
import fs from 'node:fs';
import path from 'node:path';
import { STATION_CONFIG_FILE } from '../station/config';
import { APP_VERSION, createStationFromConfig, type ComposeOptions, type ComposedStation } from './compose';
import { installCrashHandlers } from '../station/log';
import { trainingDataDirOf } from './data-dir';

export interface CoreEntryOptions extends Omit<ComposeOptions, 'training'> {
  /**
   * true: training mode whatever the data dir holds; false: live (the data dir must hold a configuration);
   * 'unless-configured': live when the data dir holds station.config.json, training otherwise, in its
   * `training` subfolder (the Electron shell's rule until it has a setup screen).
   */
  training: boolean | 'unless-configured';
}

export function resolveTraining(dataDir: string, training: CoreEntryOptions['training']): boolean {
  if (training !== 'unless-configured') return training;
  return !fs.existsSync(path.join(dataDir, STATION_CONFIG_FILE));
}

/**
 * Where the station runs. A data dir chosen for a hospital but not configured yet trains in its `training`
 * subfolder, so the live folder stays empty for IT's configuration (and its database is never a training one).
 */
export function resolveStart(dataDir: string, training: CoreEntryOptions['training']): { dataDir: string; training: boolean } {
  const root = path.resolve(dataDir);
  const trains = resolveTraining(root, training);
  return { training: trains, dataDir: trains && training === 'unless-configured' ? trainingDataDirOf(root, process.platform) : root };
}

export async function startStationCore(options: CoreEntryOptions): Promise<ComposedStation> {
  return createStationFromConfig({ ...options, ...resolveStart(options.dataDir, options.training) });
}

/**
 * For a process that runs one core (the utility process, `npm start`, the chaos child): an uncaught exception or
 * unhandled rejection writes `<dataDir>/logs/crash-<time>.json` (redacted, with the version and the last log
 * lines) and exits non-zero, for its supervisor to start a fresh core. Not for tests that compose cores in-process.
 */
export function installCoreCrashHandlers(composed: Pick<ComposedStation, 'logger'>, exit?: (code: number) => void): () => void {
  return installCrashHandlers({ logger: composed.logger, version: APP_VERSION, ...(exit ? { exit } : {}) });
}
