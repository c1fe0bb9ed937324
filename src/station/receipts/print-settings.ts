/**
 * Which printer and paper a station prints its slips on: the `receipts` section of station.config.json
 * (docs/operations.md, Printers). Read by the core with the whole configuration, and by the Electron shell, which
 * prints, on its own (the shell does not load the rest of the configuration).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ReceiptPaperSchema } from './receipt-paper';

export const ReceiptsConfigSchema = z
  .object({
    /** Saved slip PDFs carry personal data in clear and can be printed again from the order: kept this many days. */
    keepDays: z.number().int().min(1).max(3650).default(30),
    /** The printer's system name (Windows / CUPS); left out: the system's default printer. */
    printer: z.string().trim().min(1).max(256).optional(),
    paper: ReceiptPaperSchema.default('A5'),
    copies: z.number().int().min(1).max(5).default(1),
  })
  .strict();
export type ReceiptsConfig = z.output<typeof ReceiptsConfigSchema>;

export const RECEIPTS_DEFAULTS: ReceiptsConfig = ReceiptsConfigSchema.parse({});

/**
 * The receipts section of `<dataDir>/station.config.json`, or the defaults when the station has no configuration
 * (training). A configuration that cannot be read or is wrong throws: the core refuses it at start as well.
 */
export function readReceiptsConfig(dataDir: string, configFile = 'station.config.json'): ReceiptsConfig {
  const file = path.join(dataDir, configFile);
  if (!fs.existsSync(file)) return RECEIPTS_DEFAULTS;
  const json: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const section = z.object({ receipts: z.unknown().optional() }).loose().parse(json).receipts ?? {};
  const parsed = ReceiptsConfigSchema.safeParse(section);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `receipts.${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`配置文件 ${file} 的打印设置无效：${issues}`);
  }
  return parsed.data;
}
