/**
 * `npm run station -- service apps | add-app APP_ID NAME [--rate N] [--data-dir DIR]`
 *
 * The apps allowed to call the settlement service (`npm run service`). `add-app` prints the new secret once, for
 * IT to hand to the app's developers; the key file keeps it (0600). A running service reads the file again on
 * SIGHUP.
 */
import { addApp, loadServiceKeys } from '../../service/app-keys';
import type { CliArgs } from './args';

export function runServiceCommand(args: CliArgs): void {
  const [command, appId, name] = args.positional;
  if (command === 'apps') {
    const { apps } = loadServiceKeys(args.dataDir);
    if (apps.length === 0) console.log('尚无登记的应用');
    for (const a of apps) console.log(`${a.appId}\t${a.name}\t${a.ratePerMinute} 次/分钟`);
    process.exitCode = 0;
    return;
  }
  if (command !== 'add-app' || !appId || !name) args.usage();
  const rate = args.value('--rate');
  if (rate !== undefined && !/^\d+$/.test(rate)) args.usage();
  try {
    const added = addApp(args.dataDir, { appId, name, ...(rate ? { ratePerMinute: Number(rate) } : {}) });
    console.log(`已登记应用 ${added.appId}（${added.name}，${added.ratePerMinute} 次/分钟）`);
    console.log(`密钥（只显示这一次，请安全交给应用开发方）：${added.secret}`);
    console.log('运行中的结算服务请发送 SIGHUP 以重新读取（或重启 npm run service）');
    process.exitCode = 0;
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  }
}
