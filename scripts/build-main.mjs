#!/usr/bin/env node
// Bundles the Electron shell: src/main/main.ts -> dist/main/main.cjs, src/main/preload.ts ->
// dist/main/preload.cjs, and the station core's utility process, src/app/utility-process-entry.ts ->
// dist/main/core.cjs (main forks it with utilityProcess.fork and relays IPC to it). CJS because a sandboxed preload can only be a classic script, and because
// Electron's main process loads CJS without an ESM loader hop. Usage: node scripts/build-main.mjs
// Exits non-zero on any build error, when the preload pulls in more than `electron`, or when the core
// (which runs in a utility process, where only the main process's modules are off limits) requires `electron`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'main');

// Loaded from node_modules at run time, never bundled: electron is provided by the runtime; the rest are
// native addons (a .node file found next to their JS by node-gyp-build / bindings) or packages that
// optionally require one. electron-builder ships them from node_modules and asar-unpacks their binaries.
const NATIVE_EXTERNALS = [
  'electron',
  'better-sqlite3',
  'serialport',
  '@serialport/*',
  'node-hid',
  'usb',
  'koffi',
  'node-pty',
  'bufferutil', // optional native accelerators of ws
  'utf-8-validate',
];

/** @type {import('esbuild').BuildOptions} */
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22', // Electron 45 runs Node 22 in main, and its Chromium is far ahead of that for the preload
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
};

// Sources are ESM and may use import.meta.url; in a CJS bundle esbuild would leave it undefined. Here it is
// the bundle's own URL (dist/main/ sits as deep as src/<layer>/, so defaultRendererDir finds dist/renderer).
// The banner restates "use strict" because esbuild's own directive would no longer come first.
const importMetaUrl = {
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: '"use strict";\nconst __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
};

const targets = [
  {
    name: 'main',
    options: {
      ...common,
      ...importMetaUrl,
      entryPoints: ['src/main/main.ts'],
      outfile: path.join(outdir, 'main.cjs'),
      external: NATIVE_EXTERNALS,
    },
  },
  {
    name: 'core',
    options: {
      ...common,
      ...importMetaUrl,
      entryPoints: ['src/app/utility-process-entry.ts'],
      outfile: path.join(outdir, 'core.cjs'),
      external: NATIVE_EXTERNALS,
    },
  },
  {
    name: 'preload',
    options: {
      ...common,
      entryPoints: ['src/main/preload.ts'],
      outfile: path.join(outdir, 'preload.cjs'),
      external: ['electron'],
    },
  },
];

/** A sandboxed preload gets a `require` for electron and a few polyfilled built-ins only. */
function checkPreload(metafile) {
  const problems = [];
  for (const [output, meta] of Object.entries(metafile.outputs)) {
    if (!output.endsWith('.cjs')) continue;
    for (const imp of meta.imports) {
      if (imp.external && imp.path !== 'electron') problems.push(`requires '${imp.path}' at run time`);
    }
  }
  for (const input of Object.keys(metafile.inputs)) {
    if (input.includes('node_modules/')) problems.push(`bundles ${input} (keep the preload dependency-free)`);
  }
  return problems;
}

fs.rmSync(outdir, { recursive: true, force: true });

const results = await Promise.allSettled(targets.map((t) => build(t.options)));
let failed = false;
results.forEach((result, i) => {
  const { name, options } = targets[i];
  if (result.status === 'rejected') {
    failed = true; // esbuild has already printed the located errors
    console.error(`[build-main] ${name}: failed (${result.reason?.errors?.length ?? 1} error(s))`);
    return;
  }
  if (name === 'core') {
    const electron = Object.values(result.value.metafile.outputs).some((o) => o.imports.some((i) => i.path === 'electron'));
    if (electron) {
      failed = true;
      console.error('[build-main] core requires electron (src/app must not import it)');
      return;
    }
  }
  if (name === 'preload') {
    const problems = checkPreload(result.value.metafile);
    if (problems.length > 0) {
      failed = true;
      for (const p of problems) console.error(`[build-main] preload ${p}`);
      return;
    }
  }
  const size = fs.statSync(options.outfile).size;
  console.log(`[build-main] ${path.relative(root, options.outfile)} ${(size / 1024).toFixed(1)} kB`);
});

if (failed) process.exit(1);
