import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import {
  ok,
  openOrder,
  localPerson,
  settle,
  startOutpatientHarness,
  type OutpatientHarness,
} from '../../../test/harness/outpatient-harness';
import { TRAINING_KEY_FILE } from '../../app/training-rig';
import { MIGRATIONS } from '../../station/store';
import { supportBundleContents } from './support';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
let h: OutpatientHarness;

beforeEach(async () => {
  h = await startOutpatientHarness();
});
afterEach(async () => {
  await h.close();
});

/** Every entry of the zip as text, by name. */
function readZip(file: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, string>();
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) =>
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        }),
      );
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('npm run station -- support bundle', { timeout: 60_000 }, () => {
  it('zips logs, crash records, outbox state, schema and config — without ID numbers, names or keys', async () => {
    const person = localPerson('390');
    const order = await openOrder(h.c, '390');
    await settle(h.c, order.id);
    ok(await h.c.call('payOrderByQr', { orderId: order.id, wallet: 'wechat' })); // the QR waits: one open intent
    const { payChannelKey, hisAppSecret } = JSON.parse(fs.readFileSync(path.join(h.dataDir, TRAINING_KEY_FILE), 'utf8')) as Record<
      string,
      string
    >;
    // What a careless log call or a hand-edited config could carry (a name only as a field: free text cannot tell one):
    h.station.logger.warn(`identify ${person.idNo} key=${payChannelKey}`, {
      name: person.name,
      certno: person.idNo,
      appSecret: hisAppSecret,
    });
    fs.writeFileSync(
      path.join(h.dataDir, 'logs', 'crash-2026-12-04T04-00-00.000Z-1.json'),
      JSON.stringify({ kind: 'uncaughtException', error: { message: `boom for ${person.idNo}` } }),
    );
    fs.writeFileSync(
      path.join(h.dataDir, 'station.config.json'),
      JSON.stringify({
        stationId: 'window-03',
        nhsa: { keyFile: 'keys/nhsa.json' },
        payChannel: { mchId: '1900000109', key: payChannelKey },
      }),
    );

    const out = path.join(h.dataDir, 'support.zip');
    const cli = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        'src/host/cli/index.ts',
        'support',
        'bundle',
        '--out',
        out,
        '--data-dir',
        h.dataDir,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);

    const files = await readZip(out);
    const names = [...files.keys()];
    expect(names).toEqual(
      expect.arrayContaining(['outbox.json', 'schema.json', 'config.json', 'manifest.json', 'logs/crash-2026-12-04T04-00-00.000Z-1.json']),
    );
    expect(names.some((n) => /^logs\/station\.\d+\.log$/.test(n))).toBe(true);
    expect(names.some((n) => n.startsWith('keys/') || n.endsWith('.db'))).toBe(false);

    const outbox = JSON.parse(files.get('outbox.json')!) as { counts: Record<string, number>; open: Record<string, unknown>[] };
    expect(outbox.open).toEqual([
      expect.objectContaining({ kind: expect.any(String), state: expect.any(String), createdAt: expect.any(String) }),
    ]);
    expect(Object.keys(outbox.open[0]!)).not.toContain('payload');
    expect(JSON.parse(files.get('schema.json')!)).toMatchObject({ userVersion: MIGRATIONS.at(-1)!.version, auditChain: { ok: true } });
    expect(JSON.parse(files.get('config.json')!)).toEqual({
      stationId: 'window-03',
      nhsa: { keyFile: 'keys/nhsa.json' },
      payChannel: { mchId: '1900000109' },
    });

    const all = [...files.values()].join('\n');
    expect(all).toContain('identify [REDACTED]'); // the careless line is there, redacted
    for (const secret of [person.idNo, person.name, payChannelKey!, hisAppSecret!]) expect(all).not.toContain(secret);
  });

  it('a data dir whose key file is gone: the bundle says so and no new key is made', async () => {
    await settle(h.c, (await openOrder(h.c, '390')).id);
    const keys = path.join(h.dataDir, 'keys');
    fs.renameSync(keys, `${keys}.away`);
    try {
      const { files } = supportBundleContents(h.dataDir, new Date());
      const outbox = JSON.parse(files.find((f) => f.name === 'outbox.json')!.text) as { dataKey?: string };
      expect(outbox.dataKey).toMatch(/^unreadable: /);
      expect(fs.existsSync(keys)).toBe(false);
      expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['schema.json', 'config.json', 'manifest.json']));
    } finally {
      fs.renameSync(`${keys}.away`, keys);
    }
  });
});
