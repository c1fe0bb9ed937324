import type { MsgIdAllocator } from '../../insurance/nhsa';
import type { NhsaRepo } from '../store';
import { compactSecond } from '../clock';

/**
 * msgids from the SQLite sequence: unique across restarts, crashes and clock steps back. The centre keys messages by
 * msgid alone, and a msgid is the institution's code, the second and a 4-digit sequence: several stations of one
 * institution would issue the same ones. With `block` (0–9, one per station) a station takes only its own thousand
 * of the sequence (block·1000 + 1…999 a second).
 */
export class PersistentMsgIdAllocator implements MsgIdAllocator {
  constructor(
    private readonly repo: NhsaRepo,
    private readonly institutionCode: string,
    private readonly timeZone: string,
    private readonly block?: number,
  ) {}

  next(now: Date): string {
    const second = compactSecond(now, this.timeZone);
    const slot = this.block === undefined ? this.repo.nextMsgidSlot(second) : this.repo.nextMsgidSlot(second, 999);
    const seq = (this.block ?? 0) * 1000 + slot.seq;
    return `${this.institutionCode}${slot.second}${String(seq).padStart(4, '0')}`;
  }
}
