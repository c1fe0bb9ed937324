/**
 * The core's entry: the one function every shell calls to get a running station core. The loopback host
 * (`npm start` without Electron, the e2e tests, the integration harness) calls it in its own process; the
 * Electron shell runs it in a utility process (src/app/core-process.ts) and relays IPC to it over a
 * MessagePort — so whatever the e2e tests exercise is what the Electron window talks to.
 */
import fs from 'node:fs';
import path from 'node:path';
import { STATION_CONFIG_FILE } from '../station/config';
import { createStationFromConfig, type ComposeOptions, type ComposedStation } from './compose';

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
