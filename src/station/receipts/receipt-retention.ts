/**
 * Saved slips (PDFs of 结算单) carry the patient's name, the items and the money in clear: they are a copy for the
 * cashier's "保存 PDF", not a record — the order in the database prints the slip again at any time (补打). So they
 * are kept only `keepDays` (config `receipts.keepDays`), then removed, at the start and once a day. Only files the
 * station itself names (receiptFileName) are touched; anything else in the folder is left alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isSafeReceiptFileName } from './receipt-pdf';

const SLIP = /^结算单-.+\.pdf$/u;
const DAY_MS = 86_400_000;

export function pruneReceipts(dir: string, keepDays: number, now: Date): { removed: string[] } {
  if (!fs.existsSync(dir)) return { removed: [] };
  const before = now.getTime() - keepDays * DAY_MS;
  const removed: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!SLIP.test(name) || !isSafeReceiptFileName(name)) continue;
    const file = path.join(dir, name);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile() || stat.mtimeMs >= before) continue;
    fs.rmSync(file, { force: true });
    removed.push(name);
  }
  return { removed };
}

/** Prunes now and then every day; a failure (a file held open by a viewer) is reported and retried the next day. */
export function scheduleReceiptRetention(
  dir: string,
  keepDays: number,
  now: () => Date,
  report: (r: { removed: number } | { error: unknown }) => void,
): { stop(): void } {
  const run = () => {
    try {
      report({ removed: pruneReceipts(dir, keepDays, now()).removed.length });
    } catch (error) {
      report({ error });
    }
  };
  run();
  const timer = setInterval(run, DAY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
