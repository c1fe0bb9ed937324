/**
 * The papers a slip is printed on (docs/operations.md, printer setup): A5 sheets, and the 80 mm and 58 mm thermal
 * rolls of cashier windows. Sizes are what Electron's webContents.print takes (microns, at least 353); a roll has
 * no height of its own, so its page is as long as the slip, measured after layout.
 */
import { RECEIPT_PAPERS, ReceiptPaperSchema, type ReceiptPaper } from '../../shared/printing';

// One list for the config file, the admin's choice (shared with the screen) and the sizes below.
export { RECEIPT_PAPERS, ReceiptPaperSchema, type ReceiptPaper };

export interface PaperSpec {
  label: string;
  widthMicrons: number;
  /** null for a roll: the page is as long as the content */
  heightMicrons: number | null;
  /** the width the slip is laid out in (a roll's print head does not reach its edges) */
  contentWidthMm: number;
}

export const PAPER_SPECS: Readonly<Record<ReceiptPaper, PaperSpec>> = {
  A5: { label: 'A5 纸（148×210 mm）', widthMicrons: 148_000, heightMicrons: 210_000, contentWidthMm: 130 },
  '80mm': { label: '80 mm 热敏卷纸', widthMicrons: 80_000, heightMicrons: null, contentWidthMm: 72 },
  '58mm': { label: '58 mm 热敏卷纸', widthMicrons: 58_000, heightMicrons: null, contentWidthMm: 48 },
};

/** Electron's smallest page side. */
const MIN_SIDE_MICRONS = 353;
/** A roll's page when the slip could not be measured: an A4 length wastes paper but cuts nothing off. */
export const ROLL_FALLBACK_HEIGHT_MICRONS = 297_000;
/** Paper fed past the last line, so the tear bar or cutter does not cut through it. */
const ROLL_FEED_MICRONS = 12_000;
/** A roll page longer than this is a layout fault, not a slip (a slip with ~200 lines is about 1.5 m). */
const ROLL_MAX_HEIGHT_MICRONS = 3_000_000;

/** CSS px (1/96 in) → microns, rounded up so nothing is cut. */
export function cssPxToMicrons(px: number): number {
  return Math.ceil((px * 25_400) / 96);
}

/**
 * The page size for webContents.print: A5 by its size; a roll its width by the slip's measured height (CSS px)
 * plus the feed, or the fallback length when it could not be measured.
 */
export function pageSizeFor(paper: ReceiptPaper, contentHeightPx: number | null): { width: number; height: number } {
  const spec = PAPER_SPECS[paper];
  if (spec.heightMicrons !== null) return { width: spec.widthMicrons, height: spec.heightMicrons };
  if (contentHeightPx === null || !Number.isFinite(contentHeightPx) || contentHeightPx <= 0) {
    return { width: spec.widthMicrons, height: ROLL_FALLBACK_HEIGHT_MICRONS };
  }
  const height = Math.min(ROLL_MAX_HEIGHT_MICRONS, cssPxToMicrons(contentHeightPx) + ROLL_FEED_MICRONS);
  return { width: spec.widthMicrons, height: Math.max(MIN_SIDE_MICRONS, height) };
}
