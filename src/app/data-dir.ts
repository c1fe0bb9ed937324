/**
 * Where a station keeps its data. A live station has one machine-wide folder (not a user's profile: the
 * cashier's Windows account changes, the hospital's data must not); training always runs in its own folder
 * with its own database, so practice rows never sit beside real settlements.
 */
import path from 'node:path';

/** Overrides the machine-wide default (a service account, a second disk); `--data-dir` overrides both. */
export const DATA_DIR_ENV = 'YIBAO_STATION_DATA_DIR';
export const TRAINING_SUBDIR = 'training';

export interface DataDirInput {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** `--data-dir`, already absolute */
  flag?: string | null;
}

/** The live station's folder on this kind of machine when nothing says otherwise. */
export function machineDataDir(platform: NodeJS.Platform, env: DataDirInput['env']): string {
  if (platform === 'win32') return path.win32.join(env.ProgramData || env.ALLUSERSPROFILE || 'C:\\ProgramData', 'yibao-station');
  return '/var/lib/yibao-station';
}

/** The live data dir: `--data-dir`, else the environment variable, else the machine-wide default. */
export function liveDataDir(input: DataDirInput): string {
  return input.flag || input.env[DATA_DIR_ENV] || machineDataDir(input.platform, input.env);
}

/** Training beside a live folder, never in it: `<live dir>/training` has its own database and keys. */
export function trainingDataDirOf(liveDir: string, platform: NodeJS.Platform): string {
  return (platform === 'win32' ? path.win32 : path.posix).join(liveDir, TRAINING_SUBDIR);
}
