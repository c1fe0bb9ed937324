/**
 * The installer configuration (electron-builder.json) and its build script, checked without electron-builder or
 * the Electron binary (neither can be installed here): the settings that make a working package, and that
 * scripts/dist.mjs refuses, saying what to do, when a part is missing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { minimatch } from 'minimatch';
import { afterAll, describe, expect, it } from 'vitest';
import { distProblems } from '../scripts/dist.mjs';
import { pngSize, readIco } from '../scripts/ico';
import { ICO_SIZES, PNG_SIZES } from '../scripts/icon-sizes';
import { SCANNER_MODELS } from '../src/devices/models/scanners';

const root = path.resolve(import.meta.dirname, '..');
const config = JSON.parse(fs.readFileSync(path.join(root, 'electron-builder.json'), 'utf8')) as {
  appId: string;
  productName: string;
  electronDist?: string;
  npmRebuild: boolean;
  nodeGypRebuild: boolean;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  afterPack: string;
  win: { target: { target: string; arch: string[] }[] };
  nsis: { perMachine: boolean; oneClick: boolean; include: string; deleteAppDataOnUninstall: boolean; installerLanguages: string[] };
  linux: { target: string[]; maintainer: string };
};

/** electron-builder's rule for app files: a positive pattern selects, any "!" pattern drops (minimatch, dot files too). */
function packed(file: string): boolean {
  const positive = config.files.filter((p) => !p.startsWith('!'));
  const negative = config.files.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const selected = file.startsWith('node_modules/') || positive.some((p) => minimatch(file, p, { dot: true }));
  return selected && !negative.some((p) => minimatch(file, p, { dot: true }));
}

const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }>;
};

/** Where Node finds `dep` from the package at lock path `from`: its own node_modules, then each parent's. */
function resolveIn(from: string, dep: string): string | null {
  for (let at = from; ;) {
    const candidate = `${at ? `${at}/` : ''}node_modules/${dep}`;
    if (lock.packages[candidate]) return candidate;
    if (!at) return null;
    const parent = at.lastIndexOf('/node_modules/');
    at = parent < 0 ? '' : at.slice(0, parent);
  }
}

/** Every package a set of packages pulls in at run time, from package-lock.json (nested versions' own deps too). */
function closure(roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const walk = (at: string | null): void => {
    const entry = at === null ? undefined : lock.packages[at];
    if (at === null || seen.has(at) || !entry) return;
    seen.add(at);
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) walk(resolveIn(at, dep));
  };
  roots.forEach((name) => walk(`node_modules/${name}`));
  return new Set([...seen].map((at) => at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length)));
}

// The packages scripts/build-main.mjs leaves external (NATIVE_EXTERNALS) that are production dependencies.
const NATIVES = ['better-sqlite3', 'serialport', 'node-hid', 'koffi'];

describe('electron-builder.json', () => {
  it('names the app and builds offline, without rebuilding native modules', () => {
    expect(config.appId).toBe('cn.yibao.station');
    expect(config.productName).toBe('医保结算工作站');
    // electron-builder 26 does not expand ${env.X} in electronDist; scripts/dist.mjs passes ELECTRON_DIST itself.
    expect(config.electronDist).toBeUndefined();
    expect(config.npmRebuild).toBe(false);
    expect(config.nodeGypRebuild).toBe(false);
    expect(fs.existsSync(path.join(root, config.afterPack))).toBe(true);
  });

  it('installs per machine into Program Files with a Windows 10 1809 floor, x64 NSIS, and a deb for Linux', () => {
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.nsis).toMatchObject({
      perMachine: true,
      oneClick: false,
      deleteAppDataOnUninstall: false,
      installerLanguages: ['zh_CN'],
    });
    const nsh = fs.readFileSync(path.join(root, config.nsis.include), 'utf8');
    expect(nsh).toMatch(/!macro customInit[\s\S]*IntCmp \$0 17763 windowsOk windowsTooOld windowsOk[\s\S]*Quit/);
    expect(nsh).toContain('医保结算工作站需要 64 位 Windows 10 1809');
    expect(config.linux.target).toContain('deb');
    expect(config.linux.maintainer).toMatch(/^.+ <.+@.+>$/);
  });

  it('packs the built app and package.json, and no test, source or doc', () => {
    for (const file of [
      'dist/main/main.cjs',
      'dist/main/core.cjs',
      'dist/main/preload.cjs',
      'dist/renderer/index.html',
      'dist/renderer/assets/index-abc.js',
      'package.json',
    ]) {
      expect(packed(file), file).toBe(true);
    }
    for (const file of [
      'src/main/main.ts',
      'dist/main/receipt.test.cjs',
      'e2e/settle.e2e.ts',
      'test/harness/books.ts',
      'docs/operations.md',
      'node_modules/node-hid/test/x.js',
      'node_modules/koffi/src/x.test.js',
      '.station-data/training/station.db',
    ]) {
      expect(packed(file), file).toBe(false);
    }
  });

  it('keeps each package the bundles already contain out of the archive, and every native module in it', () => {
    const dependencies = Object.keys(
      (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: object }).dependencies,
    );
    const natives = closure(NATIVES);
    const bundled = [...closure(dependencies.filter((d) => !NATIVES.includes(d)))].filter((d) => !natives.has(d));
    expect(bundled).toContain('zod');
    expect(bundled.filter((name) => packed(`node_modules/${name}/package.json`))).toEqual([]);
    expect([...natives].filter((name) => !packed(`node_modules/${name}/package.json`))).toEqual([]);
  });

  it('unpacks the native modules from the asar (a .node cannot be loaded from inside it), koffi Windows binary included', () => {
    expect(config.asar).toBe(true);
    const unpacked = (file: string) => config.asarUnpack.some((p) => minimatch(file, p, { dot: true }));
    for (const file of [
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/@serialport/bindings-cpp/prebuilds/win32-x64/node.napi.node',
      'node_modules/node-hid/prebuilds/HID-win32-x64/node-napi-v3.node',
      'node_modules/@koromix/koffi-win32-x64/koffi.node',
      'node_modules/koffi/index.js',
    ]) {
      expect(unpacked(file), file).toBe(true);
    }
    expect(unpacked('dist/main/main.cjs')).toBe(false);
  });
});

describe('scripts/dist.mjs', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const electronVersion = (
    JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
  ).version;

  function run(env: Record<string, string | undefined>, ...args: string[]) {
    const result = spawnSync(process.execPath, [path.join(root, 'scripts/dist.mjs'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
    });
    return { status: result.status, stderr: result.stderr };
  }

  it('refuses without ELECTRON_DIST, saying which Electron to unpack there', () => {
    const r = run({}, '--linux');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('无法构建安装包');
    expect(r.stderr).toContain(`未设置 ELECTRON_DIST：请把 Electron ${electronVersion} 的 linux-x64 发行包解压到一个目录`);
  });

  it('refuses an ELECTRON_DIST that holds no Electron for the target, or another version', () => {
    expect(run({ ELECTRON_DIST: tmp }, '--win').stderr).toContain(`ELECTRON_DIST=${tmp} 中没有 electron.exe`);
    fs.writeFileSync(path.join(tmp, 'electron'), '');
    fs.writeFileSync(path.join(tmp, 'version'), '44.0.0');
    const r = run({ ELECTRON_DIST: tmp }, '--linux');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`ELECTRON_DIST 中的 Electron 版本是 44.0.0，应为 ${electronVersion}`);
  });

  it('refuses an unknown target', () => {
    const r = run({}, '--mac');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('用法：node scripts/dist.mjs --win | --linux');
  });

  it('names electron-builder, @electron/fuses and the unbuilt bundles when they are missing, and nothing when all are there', () => {
    const dist = '/opt/electron';
    const base = {
      target: '--linux',
      env: { ELECTRON_DIST: dist },
      readText: (f: string) => (f === `${dist}/version` ? `v${electronVersion}\n` : fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : null),
    };
    const missing = distProblems({ ...base, exists: (f: string) => f === `${dist}/electron`, resolve: () => null });
    expect(missing).toEqual([
      '未安装 electron-builder：npm install --save-dev electron-builder（构建机上）。',
      '未安装 @electron/fuses：npm install --save-dev @electron/fuses（构建机上）。',
      '缺少 dist/main/main.cjs：先运行 npm run build:renderer && npm run build:main。',
      '缺少 dist/main/core.cjs：先运行 npm run build:renderer && npm run build:main。',
      '缺少 dist/main/preload.cjs：先运行 npm run build:renderer && npm run build:main。',
      '缺少 dist/renderer/index.html：先运行 npm run build:renderer && npm run build:main。',
    ]);
    expect(distProblems({ ...base, exists: () => true, resolve: (id: string) => id })).toEqual([]);
  });
});

describe('resources/: icons and the deb udev rule', () => {
  const resources = path.join(root, 'resources');
  const deb = (
    JSON.parse(fs.readFileSync(path.join(root, 'electron-builder.json'), 'utf8')) as { deb: { afterInstall: string; afterRemove: string } }
  ).deb;

  it('has a PNG of each size the Linux desktop picks from, each its stated size', () => {
    for (const size of PNG_SIZES) {
      expect(pngSize(fs.readFileSync(path.join(resources, 'icons', `${size}x${size}.png`))), `${size}`).toEqual({
        width: size,
        height: size,
      });
    }
  });

  it('has a Windows .ico holding those PNGs from 16 to 256 px (electron-builder needs 256 for NSIS)', () => {
    const images = readIco(fs.readFileSync(path.join(resources, 'icon.ico')));
    expect(images.map((i) => i.size)).toEqual([...ICO_SIZES]);
    for (const { size, png } of images) {
      expect(png.equals(fs.readFileSync(path.join(resources, 'icons', `${size}x${size}.png`))), `${size}`).toBe(true);
    }
  });

  it('names the serial ports and both scanner models in the udev rule, for the yibao group', () => {
    const rules = fs
      .readFileSync(path.join(resources, 'linux/99-yibao-station.rules'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(rules.every((l) => l.includes('GROUP="yibao"') && l.includes('MODE="0660"'))).toBe(true);
    expect(rules).toContain('SUBSYSTEM=="tty", KERNEL=="ttyUSB[0-9]*", GROUP="yibao", MODE="0660"');
    expect(rules).toContain('SUBSYSTEM=="tty", KERNEL=="ttyACM[0-9]*", GROUP="yibao", MODE="0660"');
    const hex = (n: number) => n.toString(16).padStart(4, '0');
    const usbModels = Object.values(SCANNER_MODELS).flatMap((m) => ('usb' in m ? [m.usb] : []));
    expect(usbModels.length).toBe(2);
    for (const { vendorId, productId } of usbModels) {
      const ids = `ATTRS{idVendor}=="${hex(vendorId)}", ATTRS{idProduct}=="${hex(productId)}"`;
      expect(rules, ids).toContain(`SUBSYSTEM=="hidraw", ${ids}, GROUP="yibao", MODE="0660"`);
    }
  });

  it("installs the rule from the deb's scripts, which keep electron-builder's own lines", () => {
    const templates = path.join(root, 'node_modules/app-builder-lib/templates/linux');
    for (const [ours, theirs] of [
      [deb.afterInstall, 'after-install.tpl'],
      [deb.afterRemove, 'after-remove.tpl'],
    ] as const) {
      const script = fs.readFileSync(path.join(root, ours), 'utf8');
      const own = fs.readFileSync(path.join(templates, theirs), 'utf8').split('\n').slice(1).join('\n').trimEnd();
      expect(script, ours).toContain(own);
      expect(spawnSync('bash', ['-n', path.join(root, ours)]).status, ours).toBe(0);
    }
    const install = fs.readFileSync(path.join(root, deb.afterInstall), 'utf8');
    expect(install).toContain('groupadd --system yibao');
    expect(install).toContain(
      "'/opt/${sanitizedProductName}/resources/linux/99-yibao-station.rules' /usr/lib/udev/rules.d/99-yibao-station.rules",
    );
    expect(fs.readFileSync(path.join(root, deb.afterRemove), 'utf8')).toContain('rm -f /usr/lib/udev/rules.d/99-yibao-station.rules');
  });

  it('sets the author and the deb maintainer', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { author: string; scripts: Record<string, string> };
    expect(pkg.author).toMatch(/^.+ <.+@.+>$/);
    expect(config.linux.maintainer).toMatch(/^.+ <.+@.+>$/);
    expect(pkg.scripts.dist).toBe('node scripts/dist.mjs');
  });
});
