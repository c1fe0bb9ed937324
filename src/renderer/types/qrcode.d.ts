/**
 * The renderer's view of the `qrcode` package (tsconfig.web.json maps 'qrcode' here): only the symbol builder
 * qr-svg.ts uses. @types/qrcode starts with `/// <reference types="node" />` (for its file and stream writers),
 * which would bring Node's globals into the browser project. The Node projects use @types/qrcode itself.
 */
interface BitMatrix {
  size: number;
  data: Uint8Array;
}

interface QRCode {
  modules: BitMatrix;
  version: number;
}

interface QRCodeOptions {
  errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H' | 'low' | 'medium' | 'quartile' | 'high';
  version?: number;
}

declare const qrcode: { create(text: string, options?: QRCodeOptions): QRCode };
export default qrcode;
