import { describe, expect, it } from 'vitest';
import { qrMatrix, qrPath, qrViewSize, type QrMatrix } from './qr-svg';

/** Reads a path of qrPath's own shape back into the set of dark cells, to check it covers exactly the matrix. */
function cellsOf(path: string, margin: number): Set<string> {
  const cells = new Set<string>();
  for (const m of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)) {
    const [x, y, w, back] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
    expect(back).toBe(w);
    for (let i = 0; i < w; i++) cells.add(`${y - margin},${x - margin + i}`);
  }
  expect(path.replace(/M\d+ \d+h\d+v1h-\d+z/g, '')).toBe('');
  return cells;
}

function darkCells({ size, data }: QrMatrix): Set<string> {
  const cells = new Set<string>();
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) if (data[r * size + c]) cells.add(`${r},${c}`);
  return cells;
}

describe('qrPath', () => {
  it('draws each horizontal run of dark modules as one rectangle, shifted by the quiet zone', () => {
    // 3 × 3:  # # .
    //         . . .
    //         # . #
    const matrix: QrMatrix = { size: 3, data: [1, 1, 0, 0, 0, 0, 1, 0, 1] };
    expect(qrPath(matrix, 0)).toBe('M0 0h2v1h-2zM0 2h1v1h-1zM2 2h1v1h-1z');
    expect(qrPath(matrix, 4)).toBe('M4 4h2v1h-2zM4 6h1v1h-1zM6 6h1v1h-1z');
  });

  it('is empty for an all-light matrix and one run per row for an all-dark one', () => {
    expect(qrPath({ size: 2, data: [0, 0, 0, 0] })).toBe('');
    expect(qrPath({ size: 2, data: [1, 1, 1, 1] }, 1)).toBe('M1 1h2v1h-2zM1 2h2v1h-2z');
  });

  it('covers exactly the dark modules of a real payment QR', () => {
    const matrix = qrMatrix('weixin://wxpay/bizpayurl?pr=AbCdEf123');
    expect(matrix.size).toBeGreaterThanOrEqual(21);
    expect((matrix.size - 17) % 4).toBe(0); // QR versions are 21, 25, 29 … modules wide
    expect(cellsOf(qrPath(matrix, 4), 4)).toEqual(darkCells(matrix));
    expect(qrViewSize(matrix)).toBe(matrix.size + 8);
  });

  it('keeps the three finder patterns in the corners', () => {
    const { size, data } = qrMatrix('https://qr.alipay.com/bax01234');
    const dark = (r: number, c: number) => Boolean(data[r * size + c]);
    for (const [r, c] of [
      [0, 0],
      [0, size - 7],
      [size - 7, 0],
    ] as const) {
      // the 7 × 7 finder: dark ring, light ring, dark 3 × 3 centre
      expect(dark(r, c) && dark(r + 6, c + 6) && dark(r + 3, c + 3)).toBe(true);
      expect(dark(r + 1, c + 1)).toBe(false);
    }
  });
});
