/**
 * `npm run station -- keys COMMAND`: the hospital-wide lookup key (全院查询密钥) for IT.
 *
 *   lookup-new --out FILE                  a new key for the hospital, into FILE (0600; never overwritten)
 *   lookup-import FILE [--key-file K]      puts it first in a ledger key file (default: this data dir's, as the
 *                                          config names it); older keys stay behind it for the office's search
 *   lookup-export --out FILE [--key-file K] the key file's current key, to carry to another station or the office
 *   lookup-list [--key-file K]             the key ids a key file holds, the current first (never the secrets)
 *
 * One key per hospital: every station's ledger key file and the office's (`ledger.officeKeyFile`) must hold the same
 * current key, or the office's patient search does not find that station's rows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createLookupKeyFile, exportLookupKey, importLookupKey, lookupKeyIds, readLookupKeyFile } from '../../station/hospital-ledger';
import { z } from 'zod';
import { DEFAULT_LEDGER_KEY_FILE } from '../../app/wiring/ledger';
import type { CliArgs } from './args';

/** Only the configuration's ledger key file: the rest of it is the station's to check, not this command's. */
const LedgerKeyFileOf = z
  .object({
    ledger: z
      .object({ keyFile: z.string().min(1).optional() })
      .loose()
      .optional(),
  })
  .loose();

/** `--key-file`, else the data dir's ledger key file as its configuration names it. */
function keyFileOf(args: CliArgs): string {
  const given = args.value('--key-file');
  if (given) return path.resolve(given);
  const configFile = path.join(args.dataDir, 'station.config.json');
  const config = fs.existsSync(configFile) ? LedgerKeyFileOf.safeParse(JSON.parse(fs.readFileSync(configFile, 'utf8'))) : null;
  return path.resolve(args.dataDir, (config?.success ? config.data.ledger?.keyFile : undefined) ?? DEFAULT_LEDGER_KEY_FILE);
}

export function runKeysCommand(args: CliArgs): void {
  const [command, file] = args.positional;
  try {
    switch (command) {
      case 'lookup-new': {
        const out = args.value('--out');
        if (!out) args.usage();
        const key = createLookupKeyFile(path.resolve(out), new Date());
        console.log(
          `全院查询密钥 ${key.id} 已写入 ${path.resolve(out)}：导入每个工作站和财务的密钥文件（keys lookup-import），再妥善保管或删除此文件`,
        );
        return;
      }
      case 'lookup-import': {
        if (!file) args.usage();
        const keyFile = keyFileOf(args);
        const r = importLookupKey(keyFile, readLookupKeyFile(path.resolve(file)));
        console.log(
          `${keyFile}: ${r.changed ? '已导入' : '已是当前密钥'}；全院查询密钥 ${r.keyIds.join(', ')}（第一把为当前）；重启工作站后生效`,
        );
        return;
      }
      case 'lookup-export': {
        const out = args.value('--out');
        if (!out) args.usage();
        const key = exportLookupKey(keyFileOf(args), path.resolve(out));
        console.log(`全院查询密钥 ${key.id} 已导出到 ${path.resolve(out)}（0600）`);
        return;
      }
      case 'lookup-list': {
        const ids = lookupKeyIds(keyFileOf(args));
        console.log(ids.length ? ids.join('\n') : '（没有全院查询密钥）');
        return;
      }
      default:
        args.usage();
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  }
}
