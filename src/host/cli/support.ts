/**
 * `npm run station -- support bundle [--out FILE] [--data-dir DIR]`
 *
 * One zip for the vendor's support desk, safe to e-mail: the rolling logs and crash records (redacted when they
 * were written, and once more on the way in), the outbox's state — counts, and each open intent's kind, state,
 * times and attempts; never a payload, an answer or a remote's words — the schema version with the audit chain's
 * verification, and the configuration with anything secret-looking removed. Keys never leave the data dir.
 */
import fs from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';
import { verifyAuditChain, MIGRATIONS } from '../../station/store';
import { FieldCipher } from '../../station/security/field-cipher';
import { IntentsRepo, OPEN_STATES } from '../../station/outbox';
import { STATION_CONFIG_FILE } from '../../station/config';
import { CRASH_FILE, redactText, redactValue } from '../../station/log';
import { APP_VERSION, LOGS_DIR } from '../../app/compose';
import { openStationDb } from './station-db';
import type { CliArgs } from './args';

export interface SupportBundleContents {
  files: { name: string; text: string }[];
}

/** What goes into the bundle, as named texts (separate from the zip, so a test can also read it). */
export function supportBundleContents(dataDir: string, now: Date): SupportBundleContents {
  const files: { name: string; text: string }[] = [];
  const logsDir = path.join(dataDir, LOGS_DIR);
  const logNames = fs.existsSync(logsDir) ? fs.readdirSync(logsDir).sort() : [];
  for (const name of logNames.filter((n) => n.endsWith('.log') || CRASH_FILE.test(n))) {
    files.push({ name: `logs/${name}`, text: redactText(fs.readFileSync(path.join(logsDir, name), 'utf8')) });
  }

  const station = openStationDb(dataDir, { optional: true });
  if (station) {
    const { db } = station;
    try {
      // The data key as the commands read it: one missing is said in the bundle, never made anew (a new key would
      // let the station start on rows it can no longer read).
      const cipher = dataKey(station.cipher);
      const repo = cipher instanceof FieldCipher ? new IntentsRepo(db, cipher) : null;
      const open = (repo?.list(1000, OPEN_STATES) ?? []).map((i) => ({
        id: i.id,
        kind: i.kind,
        state: i.state,
        orderId: i.orderId,
        attempts: i.attempts,
        createdAt: i.createdAt,
        updatedAt: i.updatedAt,
        nextAt: i.nextAt,
      }));
      files.push({ name: 'outbox.json', text: json(repo ? { counts: repo.counts(), open } : { dataKey: cipher }) });
      files.push({
        name: 'schema.json',
        text: json({
          userVersion: db.pragma('user_version', { simple: true }),
          migrations: MIGRATIONS.map((m) => `${m.version} ${m.name}`),
          auditChain: verifyAuditChain(db),
        }),
      });
    } finally {
      db.close();
    }
  }

  const configFile = path.join(dataDir, STATION_CONFIG_FILE);
  const config = fs.existsSync(configFile) ? withoutSecrets(JSON.parse(fs.readFileSync(configFile, 'utf8')) as unknown) : null;
  files.push({ name: 'config.json', text: json(config ?? { note: 'no station.config.json: training mode' }) });
  files.push({
    name: 'manifest.json',
    text: json({ version: APP_VERSION, createdAt: now.toISOString(), node: process.version, files: files.map((f) => f.name) }),
  });
  return { files };
}

function dataKey(read: () => FieldCipher): FieldCipher | string {
  try {
    return read();
  } catch (e) {
    return `unreadable: ${e instanceof Error ? e.message : String(e)}`;
  }
}

const SECRET_KEY = /secret|password|passwd|token|private|key$|sign/i;

/** Redacted like a log line, and every field whose name sounds secret dropped outright (keyFile is a path: kept). */
function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object') return redactValue(value);
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k === 'keyFile' || !SECRET_KEY.test(k))
      .map(([k, v]) => [k, withoutSecrets(v)]),
  );
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

export async function writeSupportBundle(dataDir: string, out: string, now = new Date()): Promise<string[]> {
  const { files } = supportBundleContents(dataDir, now);
  const zip = new yazl.ZipFile();
  for (const f of files) zip.addBuffer(Buffer.from(f.text, 'utf8'), f.name, { mtime: now, mode: 0o600 });
  zip.end();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await new Promise<void>((resolve, reject) => {
    const sink = fs.createWriteStream(out, { mode: 0o600 });
    sink.on('close', resolve).on('error', reject);
    zip.outputStream.on('error', reject).pipe(sink);
  });
  return files.map((f) => f.name);
}

export async function runSupportCommand(args: CliArgs): Promise<void> {
  const [command] = args.positional;
  if (command !== 'bundle') args.usage();
  if (!fs.existsSync(args.dataDir)) {
    console.error(`no data dir ${args.dataDir} (use --data-dir)`);
    process.exitCode = 1;
    return;
  }
  const now = new Date();
  const out = path.resolve(args.value('--out') ?? `support-${now.toISOString().replaceAll(':', '-').slice(0, 19)}.zip`);
  const names = await writeSupportBundle(args.dataDir, out, now);
  console.log(`support bundle ${out}: ${names.length} files`);
  for (const n of names) console.log(`  ${n}`);
}
