/**
 * Training data on demand (issue 12, item 3): a trainer puts a training data dir back to its first start —
 * the station's database and the simulators' ledgers (centre, HIS, payment platform, messages) go, the keys
 * stay — or has HIS prescribe the next round for every patient with nothing left to pay. Both only with the
 * station stopped (its lock), and never in a data dir that is, or may be, a hospital's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { dataDirHolder, DB_FILE } from '../station/backup';
import { openDatabase, StationMetaRepo } from '../station/store';
import { STATION_CONFIG_FILE } from '../station/config';
import { startHis } from '../simulators/his';
import { TRAINING_HIS_APP, TRAINING_KEY_FILE } from './training-rig';

/** What a reset removes, relative to the data dir; everything else (keys, logs, backups) stays. */
const TRAINING_STATE = [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, 'simulators', 'receipts'] as const;

/** Refuses (with the reason, in Chinese) unless `dataDir` is a stopped training data dir. */
export function assertStoppedTrainingDir(dataDir: string): void {
  if (!fs.existsSync(path.join(dataDir, TRAINING_KEY_FILE))) {
    throw new Error(`${dataDir} 不是培训数据目录（没有 ${TRAINING_KEY_FILE}），未做任何改动`);
  }
  if (fs.existsSync(path.join(dataDir, STATION_CONFIG_FILE))) {
    throw new Error(`${dataDir} 有 ${STATION_CONFIG_FILE}，是正式工作站的数据目录，未做任何改动`);
  }
  const holder = dataDirHolder(dataDir);
  if (holder !== null) throw new Error(`培训工作站正在运行（pid ${holder}），请先退出再操作`);
  const dbFile = path.join(dataDir, DB_FILE);
  if (!fs.existsSync(dbFile)) return;
  const db = openDatabase(dbFile);
  try {
    const mode = new StationMetaRepo(db).get('mode');
    if (mode !== undefined && mode !== 'training') throw new Error(`${dbFile} 是正式模式的数据库，未做任何改动`);
  } finally {
    db.close();
  }
}

/** Back to the first start: the next start seeds the training operators, patients and orders afresh. */
export function resetTrainingData(dataDir: string): { removed: string[] } {
  assertStoppedTrainingDir(dataDir);
  const removed = TRAINING_STATE.filter((name) => fs.existsSync(path.join(dataDir, name)));
  for (const name of removed) fs.rmSync(path.join(dataDir, name), { recursive: true, force: true });
  return { removed };
}

/** The next round of orders for every training patient with none left unpaid; returns the new order numbers. */
export async function refillTrainingOrders(dataDir: string): Promise<string[]> {
  assertStoppedTrainingDir(dataDir);
  fs.mkdirSync(path.join(dataDir, 'simulators'), { recursive: true });
  const his = await startHis({
    dbPath: path.join(dataDir, 'simulators', 'his.db'),
    apps: [{ appId: TRAINING_HIS_APP, secret: 'unused-offline' }],
  });
  try {
    return his.control.refill();
  } finally {
    await his.close();
  }
}
