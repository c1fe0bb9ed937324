/**
 * `npm run station -- service`: registering an app prints its secret once and keeps it in service-keys.json
 * (0600, the secret the service verifies with); the same app id twice is refused; `apps` lists without secrets.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadServiceKeys, SERVICE_KEYS_FILE } from '../../service/app-keys';
import { runStation } from '../../../test/harness/station-cli';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-service-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const station = (...args: string[]) => runStation(dataDir, ...args);

describe('npm run station -- service', { timeout: 60_000 }, () => {
  it('registers an app with a secret shown once and kept owner-only; refuses the same id twice; lists without secrets', () => {
    const added = station('service', 'add-app', 'wx-oa-01', '医院公众号', '--rate', '60');
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    const secret = /密钥[^：]*：([0-9a-f]{64})/.exec(added.stdout)?.[1];
    expect(loadServiceKeys(dataDir).apps).toEqual([{ appId: 'wx-oa-01', name: '医院公众号', secret, ratePerMinute: 60 }]);
    expect(fs.statSync(path.join(dataDir, SERVICE_KEYS_FILE)).mode & 0o777).toBe(0o600);

    const again = station('service', 'add-app', 'wx-oa-01', '另一个');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('已登记');

    const listed = station('service', 'apps');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain('wx-oa-01\t医院公众号\t60 次/分钟');
    expect(listed.stdout).not.toContain(secret!);
  });
});
