/**
 * An independent reader for the QR on the screen: jsQR (a decoder written by other hands than the project's
 * encoder in `qr-svg.ts`) reads the very SVG the page shows, rasterised by Chromium on a blank page (no CSP
 * there, nothing of the station's). What a patient's phone would read is then compared with the platform's
 * code_url, so an encoder bug that the project's own matrix comparison would share cannot pass.
 */
import jsQR from 'jsqr';
import type { Locator } from 'playwright-core';

const SIZE = 480;
const QUIET = 32; // a white margin round the symbol, as the standard asks of a scanner's view

export async function readQrOnScreen(svg: Locator): Promise<string | null> {
  let markup = await svg.evaluate((el) => el.outerHTML);
  if (!markup.includes('xmlns=')) markup = markup.replace('<svg', '<svg xmlns="http://www.w3.org/2000/svg"');
  const blank = await svg.page().context().newPage();
  try {
    const pixels = await blank.evaluate(
      async ({ markup, size, quiet }) => {
        const img = new Image();
        const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml' }));
        await new Promise((resolve, reject) => {
          img.onload = resolve;
          img.onerror = reject;
          img.src = url;
        });
        const canvas = document.createElement('canvas');
        canvas.width = size;
        canvas.height = size;
        const g = canvas.getContext('2d')!;
        g.fillStyle = '#fff';
        g.fillRect(0, 0, size, size);
        g.imageSmoothingEnabled = false;
        g.drawImage(img, quiet, quiet, size - 2 * quiet, size - 2 * quiet);
        return Array.from(g.getImageData(0, 0, size, size).data);
      },
      { markup, size: SIZE, quiet: QUIET },
    );
    return jsQR(Uint8ClampedArray.from(pixels), SIZE, SIZE)?.data ?? null;
  } finally {
    await blank.close();
  }
}
