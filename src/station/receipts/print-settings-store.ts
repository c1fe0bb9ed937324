/**
 * The printer, paper and copies a station's slips print with. station.config.json is IT's file (deployed, often
 * read-only to the station's account, the same on every PC of a rollout); the administrator's choice in the
 * admin screen is the station's own and lives in its database (station_meta `receipts.print`), so it survives an
 * update of the config file, travels with backups and is audited. Saved, it overrides the file's three values;
 * keepDays stays the file's.
 */
import { z } from 'zod';
import { PrintSettingsInputSchema, type PrintSettingsInput, type PrintSettingsView } from '../../shared/printing';
import { StationMetaRepo, type AuditRepo, type Db } from '../store';
import type { ReceiptsConfig } from './print-settings';

const META_KEY = 'receipts.print';
const Stored = PrintSettingsInputSchema.extend({ updatedBy: z.string(), updatedAt: z.string() });

export class PrintSettingsStore {
  private readonly meta: StationMetaRepo;

  constructor(
    db: Db,
    private readonly config: () => Pick<ReceiptsConfig, 'printer' | 'paper' | 'copies'>,
    private readonly audit: AuditRepo,
  ) {
    this.meta = new StationMetaRepo(db);
  }

  current(): PrintSettingsView {
    const raw = this.meta.get(META_KEY);
    // A row that does not parse (written by hand, a newer version) is ignored: the config file's values print.
    const saved = raw === undefined ? null : Stored.safeParse(safeJson(raw));
    if (saved?.success) return { ...saved.data, source: 'station' };
    const c = this.config();
    return { printer: c.printer ?? null, paper: c.paper, copies: c.copies, source: 'config', updatedBy: null, updatedAt: null };
  }

  save(operatorId: string, input: PrintSettingsInput, now: Date): PrintSettingsView {
    const before = this.current();
    const row = { ...PrintSettingsInputSchema.parse(input), updatedBy: operatorId, updatedAt: now.toISOString() };
    this.meta.set(META_KEY, JSON.stringify(row), now);
    this.audit.append(
      { operatorId, action: 'receipts.printSettings', outcome: 'ok', detail: `${describe(before)} → ${describe(row)}` },
      now,
    );
    return this.current();
  }
}

function describe(s: PrintSettingsInput): string {
  return `打印机=${s.printer ?? '系统默认'} 纸张=${s.paper} 份数=${s.copies}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
