/**
 * `npx tsx scripts/render-icons.ts`: resources/icon.svg → resources/icons/NxN.png (the deb and AppImage take the
 * folder) and resources/icon.ico (the Windows app and installer). Rasterised by the system Chromium through
 * playwright-core, so no image library is needed; the outputs are committed, run this after editing the SVG.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH } from '../test/harness/prerequisites';
import { buildIco } from './ico';
import { ICO_SIZES, PNG_SIZES } from './icon-sizes';

const root = path.resolve(import.meta.dirname, '..');

if (process.argv.includes('--help')) {
  console.log(
    '用法：npx tsx scripts/render-icons.ts\n  把 resources/icon.svg 渲染为 resources/icons/NxN.png 与 resources/icon.ico（使用系统 Chromium）。',
  );
  process.exit(0);
}

const svg = fs.readFileSync(path.join(root, 'resources/icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  const pngs = new Map<number, Buffer>();
  for (const size of PNG_SIZES) {
    await page.setViewportSize({ width: size, height: size });
    const sized = svg.replace(/width="512" height="512"/, `width="${size}" height="${size}"`);
    await page.setContent(`<html><body style="margin:0;background:transparent">${sized}</body></html>`);
    pngs.set(size, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
  }
  fs.mkdirSync(path.join(root, 'resources/icons'), { recursive: true });
  for (const [size, png] of pngs) fs.writeFileSync(path.join(root, `resources/icons/${size}x${size}.png`), png);
  fs.writeFileSync(path.join(root, 'resources/icon.ico'), buildIco(ICO_SIZES.map((size) => ({ size, png: pngs.get(size)! }))));
  console.log(`[icons] ${PNG_SIZES.join(', ')} px → resources/icons/, ${ICO_SIZES.join(', ')} px → resources/icon.ico`);
} finally {
  await browser.close();
}
