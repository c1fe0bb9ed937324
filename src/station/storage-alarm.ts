/**
 * The station alarm for its own database refusing writes (store/storage-errors.ts): raised by the resolver or the
 * sweeper when a write of theirs fails, shown on every screen (`storageAlarm`), and cleared only when a write
 * that needs a new page goes through again (`probeWrite`) — not merely when a loop found nothing to write.
 */
import type { StorageAlarmView } from '../shared/domain';
import { probeWrite, storageErrorCode, type Db } from './store';
import type { EventBus } from './events';
import { errorFields, type Logger } from './log';

export class StorageAlarm {
  private state: StorageAlarmView = { failing: false, code: null, since: null };

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly now: () => Date,
  ) {}

  view(): StorageAlarmView {
    return { ...this.state };
  }

  /** A loop's write failed. True when it was the storage (the alarm is up); false for any other error. */
  failed(where: string, error: unknown): boolean {
    const code = storageErrorCode(error);
    if (!code) return false;
    this.log.error(`${where}: the station database refused a write`, { code, ...errorFields(error) });
    if (this.state.failing && this.state.code === code) return true;
    this.state = { failing: true, code, since: this.state.since ?? this.now().toISOString() };
    this.bus.emit('storageAlarm', this.view());
    return true;
  }

  /** A loop ran through: if the alarm is up, try a write; clear it when that works. Returns whether it is clear. */
  check(where: string): boolean {
    if (!this.state.failing) return true;
    const code = probeWrite(this.db);
    if (code) return false;
    this.log.warn(`${where}: the station database accepts writes again`, { failingSince: this.state.since });
    this.state = { failing: false, code: null, since: null };
    this.bus.emit('storageAlarm', this.view());
    return true;
  }
}
