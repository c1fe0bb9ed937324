/**
 * What the uploader does next with a page of HIS's lines after the stay's upload position. A line HIS took back
 * (a negative line naming it) is cancelled at the centre by 2302 when the centre holds it; when the original has not
 * gone up yet, both are simply left out (they cancel, and the centre never holds a negative line). So a batch runs
 * up to the first taking-back of a line already uploaded, which is the next step on its own.
 */
import type { HisFeeLine } from '../../insurance/his';

export type FeeStep =
  /** 2301 of `lines` (HIS lines `fromLine..uptoLine`, some left out). */
  | { kind: 'batch'; lines: HisFeeLine[]; fromLine: number; uptoLine: number }
  /** 2302 of the uploaded line `lineNo`; `uptoLine` is its taking-back. */
  | { kind: 'cancel'; lineNo: number; uptoLine: number }
  /** Lines that all cancel among themselves: nothing to send, the position moves to `uptoLine`. */
  | { kind: 'skip'; uptoLine: number }
  | { kind: 'none' };

/** `lines`: HIS's lines after `position`, in order. Lines up to `position` are at the centre or were left out. */
export function nextFeeStep(lines: readonly HisFeeLine[], position: number): FeeStep {
  const takesBackUploaded = (l: HisFeeLine) => l.reversesLine !== null && l.reversesLine <= position;
  const first = lines[0];
  if (!first) return { kind: 'none' };
  if (takesBackUploaded(first)) return { kind: 'cancel', lineNo: first.reversesLine!, uptoLine: first.lineNo };
  const end = lines.findIndex(takesBackUploaded);
  const segment = end === -1 ? lines : lines.slice(0, end);
  // Every other taking-back in the segment names a line after the position, so one before it in the segment.
  const takenBack = new Set(segment.map((l) => l.reversesLine).filter((n) => n !== null));
  const send = segment.filter((l) => l.reversesLine === null && !takenBack.has(l.lineNo));
  const uptoLine = segment.at(-1)!.lineNo;
  return send.length === 0 ? { kind: 'skip', uptoLine } : { kind: 'batch', lines: send, fromLine: first.lineNo, uptoLine };
}
