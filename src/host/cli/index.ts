/**
 * `npm run station -- AREA COMMAND [ARGS] [--data-dir DIR]`: the station's commands for hospital IT, without
 * the app's screens. One module per area; each opens the data dir's database through `openStationDb`
 * (station-db.ts; alongside a running station: WAL allows it) and sets `process.exitCode`.
 */
import path from 'node:path';
import { runOperatorsCommand } from './operators';
import { runOutboxCommand } from './outbox';
import { runAuditCommand } from './audit';
import { runSupportCommand } from './support';
import { runBackupCommand } from './backup';
import { runTrainingCommand } from './training';
import { runShiftsCommand } from './shifts';
import { runLedgerCommand } from './ledger';
import { runClearingCommand } from './clearing';
import { runMobilePayCommand } from './mobilepay';
import { runServiceCommand } from './service';
import { runKeysCommand } from './keys';
import { runStaysCommand } from './stays';
import { runEBillCommand } from './ebill';
import { VALUE_FLAGS, type CliArgs, type CliArea } from './args';

const AREAS: Record<string, CliArea> = {
  outbox: { summary: 'status | list [--all] | show ID | retry ID', run: runOutboxCommand },
  audit: { summary: 'verify', run: runAuditCommand },
  support: { summary: 'bundle [--out FILE]', run: runSupportCommand },
  operators: { summary: 'list | add ID NAME ROLE[,ROLE] | reset ID | unlock ID | disable ID | enable ID', run: runOperatorsCommand },
  backup: { summary: 'now | list | restore FILE | check', run: runBackupCommand },
  training: { summary: 'reset | refill | list   (training data dir, station stopped)', run: runTrainingCommand },
  ledger: {
    summary: 'status | init --url URL | add-station STATION_ID LOGIN --url URL | add-office LOGIN --url URL | server-status --url URL',
    run: runLedgerCommand,
  },
  keys: {
    summary: 'lookup-new --out FILE | lookup-import FILE | lookup-export --out FILE | lookup-list   [--key-file K]   (全院查询密钥)',
    run: runKeysCommand,
  },
  service: {
    summary: 'apps | add-app APP_ID NAME [--rate N] | phone-link IPT_NO --app APP_ID [--url URL]   (结算服务的应用与密钥；患者页面地址)',
    run: runServiceCommand,
  },
  shifts: { summary: "day [yyyy-MM-dd]   (日结: the day's closed shifts by channel, the shifts still open)", run: runShiftsCommand },
  clearing: { summary: 'show yyyy-MM   (异地清分: the month kept — state, window, runs, differences)', run: runClearingCommand },
  'mobile-pay': {
    summary:
      'list [--all] | show ORDER_ID | cancel ORDER_ID | rebook ORDER_ID   (医保移动支付: open orders and their age; 6401 of an abandoned upload; HIS booking again after its refusal)',
    run: runMobilePayCommand,
  },
  ebill: {
    summary:
      'list | reissue ORDER_ID|STAY_ID|IPT_NO   (电子票据: bills in doubt or refused; a refused bill of an order or a discharge issued again)',
    run: runEBillCommand,
  },
  stays: {
    summary:
      "settlements IPT_NO | resume-uploads IPT_NO | undos   (住院: a stay's settlements, booked at HIS or not; stopped uploads resumed; discharge settlement undos not finished)",
    run: runStaysCommand,
  },
};

// The area's first name, kept for scripts written against it.
AREAS.mobilepay = { ...AREAS['mobile-pay']!, summary: 'see mobile-pay' };

const argv = process.argv.slice(2);
const flagValue = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const positional = argv.filter((a, i) => !a.startsWith('--') && !(argv[i - 1]?.startsWith('--') && VALUE_FLAGS.has(argv[i - 1]!)));

const DATA_DIR_LINE = '  --data-dir DIR  数据目录 data dir (default .station-data/training)';

function usageText(): string {
  const lines = ['用法 / usage: npm run station -- AREA COMMAND [ARGS] [--data-dir DIR]'];
  for (const [name, area] of Object.entries(AREAS)) lines.push(`  ${name.padEnd(10)} ${area.summary}`);
  lines.push(DATA_DIR_LINE, '  npm run station -- AREA --help   one area');
  return lines.join('\n');
}

/** A wrong command line: the usage on stderr, exit 2. */
function usage(): never {
  console.error(usageText());
  process.exit(2);
}

const [areaName, ...rest] = positional;
const area = areaName ? AREAS[areaName] : undefined;
// Asked for: the usage on stdout, exit 0, nothing opened.
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(area ? `用法 / usage: npm run station -- ${areaName} ${area.summary}\n${DATA_DIR_LINE}` : usageText());
  process.exit(0);
}
if (!area) usage();
const args: CliArgs = {
  dataDir: path.resolve(flagValue('--data-dir') ?? path.join(root, '.station-data', 'training')),
  positional: rest,
  flag: (name) => argv.includes(name),
  value: flagValue,
  usage,
};
await area.run(args);
