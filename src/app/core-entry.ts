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

export interface CoreEntryOptions extends Omit<ComposeOptions, 'training'> {
  /**
   * true: training mode whatever the data dir holds; false: live (the data dir must hold a configuration);
   * 'unless-configured': live when the data dir holds station.config.json, training otherwise (the Electron
   * shell's rule: a data dir never configured for a hospital runs in training mode).
   */
  training: boolean | 'unless-configured';
}

export function resolveTraining(dataDir: string, training: CoreEntryOptions['training']): boolean {
  if (training !== 'unless-configured') return training;
  return !fs.existsSync(path.join(dataDir, STATION_CONFIG_FILE));
}

export async function startStationCore(options: CoreEntryOptions): Promise<ComposedStation> {
  const training = resolveTraining(path.resolve(options.dataDir), options.training);
  return createStationFromConfig({ ...options, training });
}

/**
 * For a process that runs one core (the utility process, `npm start`, the chaos child): an uncaught exception or
 * unhandled rejection writes `<dataDir>/logs/crash-<time>.json` (redacted, with the version and the last log
 * lines) and exits non-zero, for its supervisor to start a fresh core. Not for tests that compose cores in-process.
 */
export function installCoreCrashHandlers(composed: Pick<ComposedStation, 'logger'>, exit?: (code: number) => void): () => void {
  return installCrashHandlers({ logger: composed.logger, version: APP_VERSION, ...(exit ? { exit } : {}) });
}
