import { useMemo } from 'react';
import { qrMatrix, qrPath, qrViewSize } from './qr-svg';

interface QrCodeProps {
  /** the text to encode, e.g. the payment platform's code_url */
  value: string;
  /** what a screen reader says instead of the picture */
  label: string;
  size?: number;
}

/** A QR code drawn as SVG in the page itself: no image URL, nothing the CSP has to allow. */
export function QrCode({ value, label, size = 240 }: QrCodeProps) {
  const { path, view } = useMemo(() => {
    const matrix = qrMatrix(value);
    return { path: qrPath(matrix), view: qrViewSize(matrix) };
  }, [value]);
  return (
    <svg
      className="qr-code"
      data-testid="qr-svg"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${view} ${view}`}
      shapeRendering="crispEdges"
    >
      <rect width={view} height={view} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
