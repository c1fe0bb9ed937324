/**
 * The apps allowed to call the service (公众号, 小程序, the internet hospital, kiosks): `<data dir>/service-keys.json`,
 * kept like the station's data key (0600, written durably, never in the configuration or a command line). Each app
 * has its id, a name, a 256-bit secret (hex) and how many requests a minute it may make.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { writeFileDurably } from '../station/security';

export const SERVICE_KEYS_FILE = 'service-keys.json';

export const AppKeySchema = z.object({
  appId: z.string().regex(/^[A-Za-z0-9_-]{3,64}$/),
  name: z.string().min(1).max(64),
  secret: z.string().regex(/^[0-9a-f]{64}$/, 'secret: 64 hex digits (256 bits)'),
  ratePerMinute: z.number().int().min(1).max(100_000).default(120),
});
export type AppKey = z.output<typeof AppKeySchema>;

export const ServiceKeysSchema = z
  .object({ apps: z.array(AppKeySchema) })
  .refine((k) => new Set(k.apps.map((a) => a.appId)).size === k.apps.length, 'appId 重复');
export type ServiceKeys = z.output<typeof ServiceKeysSchema>;

export function loadServiceKeys(dataDir: string): ServiceKeys {
  const file = path.join(dataDir, SERVICE_KEYS_FILE);
  if (!fs.existsSync(file)) return { apps: [] };
  return ServiceKeysSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** Registers an app with a fresh secret (shown once to IT, who gives it to the app's developers). */
export function addApp(dataDir: string, app: { appId: string; name: string; ratePerMinute?: number }): AppKey {
  const keys = loadServiceKeys(dataDir);
  if (keys.apps.some((a) => a.appId === app.appId)) throw new Error(`应用 ${app.appId} 已登记`);
  const added = AppKeySchema.parse({ ...app, secret: randomBytes(32).toString('hex') });
  writeFileDurably(path.join(dataDir, SERVICE_KEYS_FILE), JSON.stringify({ apps: [...keys.apps, added] }, null, 2));
  return added;
}
