import type { MsgIdAllocator } from '../../insurance/nhsa';
import type { NhsaRepo } from '../store';
import { compactSecond } from '../clock';

/** msgids from the SQLite sequence: unique across restarts, crashes and clock steps back. */
export class PersistentMsgIdAllocator implements MsgIdAllocator {
  constructor(
    private readonly repo: NhsaRepo,
    private readonly institutionCode: string,
    private readonly timeZone: string,
  ) {}

  next(now: Date): string {
    const slot = this.repo.nextMsgidSlot(compactSecond(now, this.timeZone));
    return `${this.institutionCode}${slot.second}${String(slot.seq).padStart(4, '0')}`;
  }
}
