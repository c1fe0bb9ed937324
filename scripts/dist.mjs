#!/usr/bin/env node
// Installers: `npm run dist -- --win | --linux | --dir [--out DIR]` (see USAGE; docs/operations.md).
// electron-builder never downloads Electron here: ELECTRON_DIST must name an unpacked Electron of the locked
// version for the target (the folder holding electron.exe / electron), passed on as `electronDist` (the config
// file cannot take it: electron-builder does not expand ${env.X} there). Everything missing is said before
// anything is built.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

const TARGETS = {
  '--win': { args: ['--win', 'nsis', '--x64'], exe: 'electron.exe', platform: 'win32' },
  '--linux': { args: ['--linux', 'deb', 'AppImage', '--x64'], exe: 'electron', platform: 'linux' },
  // The unpacked app only (out/release/linux-unpacked): what the installers would hold, without fpm or appimagetool.
  '--dir': { args: ['--linux', 'dir', '--x64'], exe: 'electron', platform: 'linux' },
};

export const USAGE = `用法：npm run dist -- --win | --linux | --dir [--out 目录]
  --win     Windows x64 NSIS 安装包（请在 Windows 上构建）
  --linux   Linux x64 的 deb 与 AppImage
  --dir     只打包不制作安装包（out/release/linux-unpacked），用于检查包内文件
  --out 目录  输出目录（默认 out/release）
环境变量：
  ELECTRON_DIST     已解压的 Electron 发行包目录（版本须与 package-lock.json 一致；本脚本不联网下载 Electron）
  CSC_LINK, CSC_KEY_PASSWORD  Windows 代码签名证书（.pfx）及其密码，设置后自动签名
先运行 npm run build:renderer && npm run build:main。详见 docs/operations.md「Building the installers」。`;

/** The problems that stop a build, each with what to do; [] when it can go ahead. Exported for the test. */
export function distProblems({ target, env, exists, readText, resolve }) {
  const spec = TARGETS[target];
  if (!spec) return [`用法：node scripts/dist.mjs --win | --linux | --dir（未知参数 ${target ?? '（无）'}）`];
  const problems = [];
  const wanted = readJson(readText, path.join(root, 'node_modules/electron/package.json'))?.version;
  const dist = env.ELECTRON_DIST;
  if (!dist) {
    problems.push(
      `未设置 ELECTRON_DIST：请把 Electron ${wanted ?? '(package-lock.json 中的版本)'} 的 ${spec.platform}-x64 发行包解压到一个目录，` +
        `再以 ELECTRON_DIST=<该目录> 运行（本机不联网下载 Electron）。`,
    );
  } else if (!exists(path.join(dist, spec.exe))) {
    problems.push(`ELECTRON_DIST=${dist} 中没有 ${spec.exe}：那不是 ${spec.platform} 的 Electron 发行包（解压后的目录）。`);
  } else {
    const found = readText(path.join(dist, 'version'))?.trim().replace(/^v/, '');
    if (wanted && found !== wanted) {
      problems.push(`ELECTRON_DIST 中的 Electron 版本是 ${found ?? '（无 version 文件）'}，应为 ${wanted}（package-lock.json）。`);
    }
  }
  for (const pkg of ['electron-builder', '@electron/fuses']) {
    // The package itself, not its package.json: @electron/fuses 2 exports only its entry point.
    if (!resolve(pkg)) problems.push(`未安装 ${pkg}：npm install --save-dev ${pkg}（构建机上）。`);
  }
  for (const built of ['dist/main/main.cjs', 'dist/main/core.cjs', 'dist/main/preload.cjs', 'dist/renderer/index.html']) {
    if (!exists(path.join(root, built))) problems.push(`缺少 ${built}：先运行 npm run build:renderer && npm run build:main。`);
  }
  return problems;
}

function readJson(readText, file) {
  const text = readText(file);
  try {
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

function main() {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const target = argv[0];
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? argv[outAt + 1] : undefined;
  if (outAt >= 0 && !out) {
    console.error(`[dist] --out 后面要给目录。\n${USAGE}`);
    process.exit(2);
  }
  const problems = distProblems({
    target,
    env: process.env,
    exists: (file) => fs.existsSync(file),
    readText: (file) => {
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return null;
      }
    },
    resolve: (id) => {
      try {
        return require.resolve(id);
      } catch {
        return null;
      }
    },
  });
  if (problems.length > 0) {
    console.error(`[dist] 无法构建安装包：\n  - ${problems.join('\n  - ')}`);
    process.exit(2);
  }
  const cli = require.resolve('electron-builder/cli.js');
  const args = ['--config', 'electron-builder.json', '--publish', 'never', ...TARGETS[target].args];
  args.push(`-c.electronDist=${path.resolve(process.env.ELECTRON_DIST)}`);
  if (out) args.push(`-c.directories.output=${path.resolve(out)}`);
  const run = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
