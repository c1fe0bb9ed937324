/**
 * `npm run station -- service apps | add-app APP_ID NAME [--rate N] | phone-link IPT_NO --app APP_ID [--url URL]`
 *
 * The apps allowed to call the settlement service (`npm run service`). `add-app` prints the new secret once, for
 * IT to hand to the app's developers; the key file keeps it (0600). A running service reads the file again on
 * SIGHUP. `phone-link` asks a running service for a patient page's session as the registered app would (the
 * hospital's app does this in reality) and prints the page's address: for training and for checking a new ward.
 */
import { addApp, loadServiceKeys } from '../../service/app-keys';
import { loadServiceConfig } from '../../service/config';
import { mintPhoneLink } from '../../service/phone-link';
import type { CliArgs } from './args';

export async function runServiceCommand(args: CliArgs): Promise<void> {
  const [command, appId, name] = args.positional;
  if (command === 'phone-link') return phoneLink(args, appId);
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

async function phoneLink(args: CliArgs, iptNo: string | undefined): Promise<void> {
  const appId = args.value('--app');
  if (!iptNo || !appId) args.usage();
  const app = loadServiceKeys(args.dataDir).apps.find((a) => a.appId === appId);
  if (!app) {
    console.error(`应用 ${appId} 未登记（npm run station -- service apps）`);
    process.exitCode = 1;
    return;
  }
  const baseUrl = args.value('--url') ?? `http://127.0.0.1:${loadServiceConfig(args.dataDir).port}`;
  try {
    const link = await mintPhoneLink(baseUrl, app, iptNo);
    console.log(`患者页面（${Math.round((link.expiresAt - Date.now()) / 60_000)} 分钟内有效，仅限住院号 ${iptNo}）：`);
    console.log(link.url);
    process.exitCode = 0;
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  }
}
