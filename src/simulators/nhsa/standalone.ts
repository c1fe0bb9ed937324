/**
 * Runs the simulated centre on its own, for training and manual testing:
 *
 *   tsx src/simulators/nhsa/standalone.ts --port 18080 --keys ./sim-keys [--region 350200] [--profile sm|plain]
 *                                         [--db ./sim-keys/centre.sqlite] [--seed 42]
 *
 * The keys dir holds nhsa-centre-keys.json: the client id, the centre's key pair and a station key pair. It is
 * created on first run; configure the station with `clientId`, `station.privateKeyHex` and
 * `centre.publicKeyHex` from it. Runs until SIGINT / SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sm2 } from 'sm-crypto-v2';
import { z } from 'zod';
import { runStandalone, standaloneArgs } from '../common/standalone';
import { startNhsaCentre } from './centre';
import { TRAINING_VOUCHERS } from './population';
import { SUPPORTED_INFNOS } from './transactions';

const KeyFileSchema = z.object({
  clientId: z.string().regex(/^[\x21-\x7e]{16}$/),
  centre: z.object({ privateKeyHex: z.string(), publicKeyHex: z.string() }),
  station: z.object({ privateKeyHex: z.string(), publicKeyHex: z.string() }),
});
type KeyFile = z.infer<typeof KeyFileSchema>;

function loadOrCreateKeys(dir: string): { file: string; keys: KeyFile; created: boolean } {
  const file = path.join(dir, 'nhsa-centre-keys.json');
  if (fs.existsSync(file)) return { file, keys: KeyFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8'))), created: false };
  fs.mkdirSync(dir, { recursive: true });
  const pair = () => {
    const { privateKey, publicKey } = sm2.generateKeyPairHex();
    return { privateKeyHex: privateKey, publicKeyHex: publicKey };
  };
  const keys: KeyFile = { clientId: randomBytes(8).toString('hex').toUpperCase(), centre: pair(), station: pair() };
  // Private keys inside: readable by the owner only.
  fs.writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return { file, keys, created: true };
}

const USAGE = `用法 / usage: npm run sim -- [OPTIONS]   医保中心模拟器 the simulated NHSA centre, until Ctrl-C
  --port N          HTTP port (default 18080)
  --keys DIR        key file dir, nhsa-centre-keys.json created on first run (default ./sim-keys)
  --region CODE     insured region (default 350200)
  --profile sm|plain  SM4 + SM2 envelopes, or plain JSON (default sm)
  --db FILE         the centre's SQLite ledger (default in memory)
  --seed N          fault and id seed
  --help            this text`;

runStandalone(async () => {
  const values = standaloneArgs(USAGE, {
    port: '18080',
    keys: './sim-keys',
    region: '350200',
    profile: 'sm',
    db: undefined,
    seed: undefined,
  });
  const profile = z.enum(['sm', 'plain']).parse(values.profile);
  const { file, keys, created } = loadOrCreateKeys(values.keys);
  const centre = await startNhsaCentre({
    port: Number(values.port),
    keys: { clientId: keys.clientId, centrePrivateKeyHex: keys.centre.privateKeyHex, stationPublicKeyHex: keys.station.publicKeyHex },
    region: values.region,
    profile,
    ...(values.db ? { dbPath: values.db } : {}),
    ...(values.seed ? { seed: Number(values.seed) } : {}),
  });

  console.log(`NHSA centre simulator (${profile}, region ${values.region})`);
  console.log(`  two-ends:  POST ${centre.url}/{infno}`);
  console.log(`  voucher:   POST ${centre.voucherUrl}/ec/query`);
  console.log(`  control:   POST ${centre.url}/__control`);
  console.log(`  keys:      ${file}${created ? ' (created)' : ''}`);
  console.log(`  answers:   ${SUPPORTED_INFNOS.join(' ')}`);
  console.log('  policy:    the training policy, docs/nhsa-policy.md');
  console.log('  training vouchers:');
  for (const v of TRAINING_VOUCHERS) console.log(`    ${v.name}\t${v.insutype}\t${v.region}\t${v.qr}`);

  return centre;
});
