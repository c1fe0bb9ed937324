/**
 * SLOW (10 s alone, up to ~60 s on a loaded machine): the real packer. `node scripts/dist.mjs --dir` runs
 * electron-builder on this checkout (which first validates all of electron-builder.json, NSIS and deb included,
 * against its schema), with ELECTRON_DIST pointing at a stand-in for the Electron release (it cannot be
 * downloaded here): a placeholder `electron` holding Electron's fuse wire, its `version`, `LICENSE` and
 * `locales/` — the files electron-builder copies, renames or prunes
 * (app-builder-lib/out/electron/ElectronFramework.js). Everything after that is
 * electron-builder's own work and our hook's: the asar, what is unpacked from it, resources/, the fuses.
 * Needs the built bundles (`npm test` builds them first; alone: npm run build:renderer && npm run build:main).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'installer-layout-'));
const app = path.join(tmp, 'out', 'linux-unpacked');
const resources = path.join(app, 'resources');
const electronVersion = (JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string })
  .version;

/** Electron's fuse wire as in a release binary: sentinel, wire version 1, length, one '0'/'1' byte per fuse. */
function fakeElectronBinary(): Buffer {
  const wire = '1'.repeat(9); // every fuse on, so the test sees which ones the hook turns off
  return Buffer.concat([
    Buffer.from('#!/bin/sh\necho "placeholder for the Electron binary"\n'),
    Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
    Buffer.from([1, wire.length]),
    Buffer.from(wire),
  ]);
}

function writeFakeElectronDist(dir: string): void {
  fs.mkdirSync(path.join(dir, 'locales'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'electron'), fakeElectronBinary(), { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'version'), electronVersion);
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'Electron licence (stand-in)');
  fs.writeFileSync(path.join(dir, 'chrome-sandbox'), 'stand-in');
  for (const locale of ['en-US', 'zh-CN', 'fr', 'de']) fs.writeFileSync(path.join(dir, 'locales', `${locale}.pak`), locale);
}

interface AsarNode {
  files?: Record<string, AsarNode>;
  size?: number;
  unpacked?: boolean;
}

/** An asar's header: 8 bytes of size pickle, then a pickle holding the JSON directory tree. */
function readAsarHeader(file: string): AsarNode {
  const fd = fs.openSync(file, 'r');
  try {
    const sizes = Buffer.alloc(16);
    fs.readSync(fd, sizes, 0, 16, 0);
    const json = Buffer.alloc(sizes.readUInt32LE(12));
    fs.readSync(fd, json, 0, json.length, 16);
    return JSON.parse(json.toString('utf8')) as AsarNode;
  } finally {
    fs.closeSync(fd);
  }
}

/** Every file path in the asar, with whether it was unpacked to app.asar.unpacked. */
function asarFiles(node: AsarNode, prefix = ''): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const [name, child] of Object.entries(node.files ?? {})) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (child.files) for (const [f, u] of asarFiles(child, rel)) out.set(f, u);
    else out.set(rel, child.unpacked === true);
  }
  return out;
}

/** The packages under node_modules/ in a list of paths ("@scope/name" or "name"), nested ones too. */
function packagesIn(files: Iterable<string>): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    const parts = file.split('/');
    for (let i = 0; i < parts.length - 1; i++) {
      const [name, scoped] = [parts[i + 1]!, parts[i + 2]];
      if (parts[i] !== 'node_modules' || (name.startsWith('@') && scoped === undefined)) continue;
      names.add(name.startsWith('@') ? `${name}/${scoped}` : name);
    }
  }
  return names;
}

const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }>;
};
function closure(roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const walk = (name: string): void => {
    if (seen.has(name) || !lock.packages[`node_modules/${name}`]) return;
    seen.add(name);
    const entry = lock.packages[`node_modules/${name}`]!;
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) walk(dep);
  };
  roots.forEach(walk);
  return seen;
}

let files = new Map<string, boolean>();
let packOutput = '';

beforeAll(() => {
  for (const built of ['dist/main/main.cjs', 'dist/main/core.cjs', 'dist/main/preload.cjs', 'dist/renderer/index.html']) {
    if (!fs.existsSync(path.join(root, built))) throw new Error(`${built} missing: run npm run build:renderer && npm run build:main first`);
  }
  const electronDist = path.join(tmp, 'electron-dist');
  writeFakeElectronDist(electronDist);
  const run = spawnSync(process.execPath, [path.join(root, 'scripts/dist.mjs'), '--dir', '--out', path.join(tmp, 'out')], {
    cwd: root,
    env: { ...process.env, ELECTRON_DIST: electronDist },
    encoding: 'utf8',
  });
  packOutput = `${run.stdout}\n${run.stderr}`;
  if (run.status !== 0) throw new Error(`dist.mjs --dir exited ${run.status}:\n${packOutput}`);
  files = asarFiles(readAsarHeader(path.join(resources, 'app.asar')));
}, 180_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('[slow: runs electron-builder] the unpacked app (linux dir, stand-in Electron)', () => {
  it('packs the bundles, the renderer and package.json into app.asar', () => {
    for (const file of ['dist/main/main.cjs', 'dist/main/core.cjs', 'dist/main/preload.cjs', 'dist/renderer/index.html', 'package.json']) {
      expect(files.get(file), file).toBe(false); // present and inside the archive
    }
  });

  it('packs no source, test, e2e, doc or data file', () => {
    const leaked = [...files.keys()].filter(
      (f) =>
        /^(src|test|e2e|docs|scripts|bench|installer|resources|\.station-data|out)\//.test(f) ||
        /\.(test|spec)\.[cm]?[jt]sx?$/.test(f) ||
        /(^|\/)(__tests__|tests?)\//.test(f) ||
        /\.tsx?$/.test(f.replace(/\.d\.ts$/, '')),
    );
    expect(leaked).toEqual([]);
  });

  it('carries only the native modules and what they load: nothing the bundles already contain is there twice', () => {
    const natives = closure(['better-sqlite3', 'serialport', 'node-hid', 'koffi']);
    const unpackedFiles = fs.readdirSync(path.join(resources, 'app.asar.unpacked'), { recursive: true, encoding: 'utf8' });
    const shipped = new Set([...packagesIn(files.keys()), ...packagesIn(unpackedFiles)]);
    expect([...shipped].filter((name) => !natives.has(name))).toEqual([]);
    for (const bundled of ['zod', 'antd', 'react', 'react-dom', 'pino', 'qrcode', 'ws', '@ant-design/icons', '@rc-component/util']) {
      expect(shipped.has(bundled), bundled).toBe(false);
    }
  });

  it('unpacks the native modules next to the asar, each .node file a real file', () => {
    const nodeFiles = [...files].filter(([f]) => f.endsWith('.node'));
    expect(nodeFiles.length).toBeGreaterThan(0);
    expect(nodeFiles.filter(([, unpacked]) => !unpacked)).toEqual([]);
    const onDisk = (rel: string) => fs.existsSync(path.join(resources, 'app.asar.unpacked', rel));
    // better-sqlite3 and serialport ship every platform's prebuilt binary, the Windows one included.
    expect(onDisk('node_modules/better-sqlite3/prebuilds/linux-x64.node')).toBe(true);
    expect(onDisk('node_modules/better-sqlite3/prebuilds/win32-x64.node')).toBe(true);
    expect(onDisk('node_modules/@serialport/bindings-cpp/prebuilds/linux-x64')).toBe(true);
    expect(onDisk('node_modules/@serialport/bindings-cpp/prebuilds/win32-x64')).toBe(true);
    expect(onDisk('node_modules/node-hid/prebuilds/HID-linux-x64')).toBe(true);
    expect(onDisk('node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node')).toBe(true);
    expect(onDisk('node_modules/koffi/index.js')).toBe(true);
    // Their C sources are not shipped (electron-builder.json drops them; the binaries are prebuilt).
    expect(onDisk('node_modules/better-sqlite3/deps')).toBe(false);
    expect(onDisk('node_modules/node-hid/hidapi')).toBe(false);
  });

  it('loads the unpacked better-sqlite3 and koffi as shipped (N-API, so plain Node loads the same binaries)', () => {
    const unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules');
    const probe = [
      `const Database = require(${JSON.stringify(path.join(unpacked, 'better-sqlite3'))});`,
      `const db = new Database(':memory:');`,
      `const koffi = require(${JSON.stringify(path.join(unpacked, 'koffi'))});`,
      `console.log(JSON.stringify({ answer: db.prepare('select 6 * 7 as a').get().a, koffi: typeof koffi.load }));`,
    ].join('\n');
    const run = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ answer: 42, koffi: 'function' });
  });

  it('puts resources/ (the udev rule) beside the asar, and not the icon sources', () => {
    const rule = 'linux/99-yibao-station.rules';
    expect(fs.readFileSync(path.join(resources, rule), 'utf8')).toBe(fs.readFileSync(path.join(root, 'resources', rule), 'utf8'));
    expect(fs.readdirSync(resources).sort()).toEqual(['app.asar', 'app.asar.unpacked', 'linux']);
  });

  it('renames Electron to the executable name, keeps its licence and only the zh-CN and en-US locales', () => {
    expect(fs.readdirSync(app).sort()).toEqual([
      'LICENSE.electron.txt',
      'chrome-sandbox',
      'locales',
      'resources',
      'version',
      'yibao-station',
    ]);
    expect(fs.readdirSync(path.join(app, 'locales')).sort()).toEqual(['en-US.pak', 'zh-CN.pak']);
  });

  it('runs the fuse hook on the packed executable (scripts/fuse-electron.cjs)', async () => {
    expect(packOutput).toContain('[fuse-electron] fusing');
    const wire = await getCurrentFuseWire(path.join(app, 'yibao-station'));
    expect(wire.version).toBe(FuseVersion.V1);
    const state = (option: FuseV1Options) => String.fromCharCode(wire[option] as number);
    expect(state(FuseV1Options.RunAsNode)).toBe('0');
    expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe('0');
    expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe('0');
    expect(state(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe('0');
    expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe('1');
    expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe('1');
  });
});
