import QRCode from 'qrcode';

/** A QR symbol as a square of modules, row-major (index = row × size + column); non-zero = dark. */
export interface QrMatrix {
  size: number;
  data: ArrayLike<number>;
}

/** The white border every reader needs around the symbol (ISO/IEC 18004: four modules). */
export const QR_QUIET_ZONE = 4;

/** The symbol for a payment QR's code_url, error correction M (what the payment platforms print). */
export function qrMatrix(text: string): QrMatrix {
  const { size, data } = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  return { size, data };
}

/**
 * The dark modules as one SVG path, in module units shifted by `margin`: each horizontal run of dark modules
 * in a row is one rectangle ("M x y h w v 1 h -w z"), so a 33 × 33 symbol is a few hundred short segments
 * in a single element rather than a thousand <rect>s.
 */
export function qrPath({ size, data }: QrMatrix, margin = QR_QUIET_ZONE): string {
  const parts: string[] = [];
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (!data[row * size + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && data[row * size + col]) col++;
      const width = col - start;
      parts.push(`M${start + margin} ${row + margin}h${width}v1h-${width}z`);
    }
  }
  return parts.join('');
}

/** The viewBox side: the symbol plus its quiet zone on both sides. */
export function qrViewSize(matrix: QrMatrix, margin = QR_QUIET_ZONE): number {
  return matrix.size + 2 * margin;
}
