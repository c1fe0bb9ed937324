/**
 * `npm run service`: the settlement service, headless — the station core started as `npm start` starts it (its
 * own data dir: one process holds a data dir's lock), and the HTTP API for the hospital's apps on top.
 *
 *   npm run service                        training (simulated centre, HIS, payment platform), .station-data/service
 *   npm run service -- --data-dir DIR      another data dir
 *   npm run service -- --live [--data-dir D]  a configured hospital station (D/station.config.json)
 *   npm run service -- --port N            listen on N (service.config.json `port` otherwise, 8460)
 *   npm start -- --service                 the same beside the screens, on the station's own core
 *
 * Apps are registered with `npm run station -- service add-app APP_ID NAME --data-dir DIR`; the key file is read
 * at start and again on SIGHUP.
 */
import path from 'node:path';
import { installCoreCrashHandlers, startStationCore } from '../app/core-entry';
import { liveDataDir } from '../app/data-dir';
import { startServiceOnStation } from './on-station';

const USAGE = `用法 / usage: npm run service [-- OPTIONS]
  (none)               培训模式 training: data in .station-data/service
  --data-dir DIR       another data dir
  --live               a configured hospital station (machine-wide data dir, or --data-dir)
  --port N             listen on port N (default: service.config.json, else 8460)
  --help               this text`;

const argv = process.argv.slice(2);
const value = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const known = new Set(['--live', '--data-dir', '--port']);
const unknown = argv.filter((a, i) => a.startsWith('-') && !known.has(a) && argv[i - 1] !== '--data-dir' && argv[i - 1] !== '--port');
if (unknown.length > 0) {
  console.error(`[service] 未知参数 unknown option: ${unknown.join(' ')}\n${USAGE}`);
  process.exit(2);
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const live = argv.includes('--live');
const dataDirFlag = value('--data-dir');
const dataDir = path.resolve(
  live
    ? liveDataDir({ platform: process.platform, env: process.env, flag: dataDirFlag ? path.resolve(dataDirFlag) : null })
    : (dataDirFlag ?? path.join(root, '.station-data', 'service')),
);

async function main(): Promise<void> {
  const port = value('--port');
  const station = await startStationCore({ dataDir, training: !live, trainingWard: !live, shell: 'browser' });
  installCoreCrashHandlers(station);
  const service = await startServiceOnStation(station, dataDir, port === undefined ? {} : { port: Number(port) });
  const apps = service.reloadApps();
  console.log(`[service] ${station.training ? '培训模式' : '正式模式'} · 数据目录 ${dataDir}`);
  console.log(`[service] 结算服务 ${service.url} （接口说明 ${service.url}/openapi.json）· 已登记应用 ${apps} 个`);
  console.log(`[service] 患者页面 ${service.url}/m/ （地址由应用签发：npm run station -- service phone-link 住院号 --app APP_ID）`);
  if (apps === 0) console.log(`[service] 尚无应用：npm run station -- service add-app APP_ID 名称 --data-dir ${dataDir}`);
  process.on('SIGHUP', () => {
    try {
      console.log(`[service] 已重新读取应用密钥：${service.reloadApps()} 个`);
    } catch (e) {
      console.error(`[service] 应用密钥文件有误，沿用原有密钥：${e instanceof Error ? e.message : String(e)}`);
    }
  });
  let quitting = false;
  const quit = async () => {
    if (quitting) return;
    quitting = true;
    await service.close();
    await station.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void quit());
  process.on('SIGTERM', () => void quit());
}

main().catch((e: unknown) => {
  console.error('[service] 无法启动：', e instanceof Error ? e.message : e);
  process.exit(1);
});
