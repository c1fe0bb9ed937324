/**
 * Shifts (交班) and the day close (日结), issue 13 item 6. A shift opens at the operator's sign-in (or the first
 * look at it), counts the operator's records from the previous shift's close, and is closed once: the summary is
 * computed and frozen in the same transaction that closes it, audited; a second close answers the first one's.
 */
import { randomUUID } from 'node:crypto';
import type { OperatorView, Role, StationInfo } from '../../shared/domain';
import { StationError } from '../../shared/result';
import {
  SHIFT_CHANNELS,
  ShiftSummarySchema,
  type DayCloseView,
  type DrawerCount,
  type DrawerView,
  type ShiftChannel,
  type ShiftChannelLine,
  type ShiftSummary,
  type ShiftView,
} from '../../shared/shifts';
import { localDay } from '../clock';
import type { AuditRepo, Db } from '../store';
import type { PagePrintOutcome, ReceiptPaper } from '../receipts';
import { shiftSummary } from './shift-summary';
import { daySlipHtml, shiftSlipHtml, type SlipContext } from './shift-slip-html';

interface ShiftRow {
  id: string;
  station_id: string;
  operator_id: string;
  operator_name: string | null;
  covers_from: string;
  opened_at: string;
  closed_at: string | null;
  closed_by: string | null;
  business_day: string | null;
  summary_json: string | null;
  drawer_counted_fen: number | null;
  drawer_float_fen: number | null;
}

export interface ShiftDeps {
  db: Db;
  audit: AuditRepo;
  info: Pick<StationInfo, 'stationId' | 'institutionName' | 'trainingMode'>;
  now: () => Date;
  timeZone: string;
  /** The slip printer (the settlement slip's): lays the page out for its paper and prints it when the core can. */
  print: (render: (paper: ReceiptPaper) => string, title: string) => Promise<PagePrintOutcome>;
  newId?: () => string;
}

/** Who works a till: an admin-only sign-in has no shift. */
const TILL_ROLES: readonly Role[] = ['cashier', 'doctor', 'nurse'];
export const hasTill = (roles: readonly Role[]) => roles.some((r) => TILL_ROLES.includes(r));

const SELECT = `SELECT s.*, o.name AS operator_name FROM shifts s LEFT JOIN operators o ON o.id = s.operator_id`;

export class ShiftService {
  constructor(private readonly d: ShiftDeps) {}

  /** The operator's open shift with its summary so far, opened now if there is none (at sign-in, or the first look). */
  open(operator: OperatorView): ShiftView {
    const row = this.d.db.transaction(() => this.openRow(operator.id) ?? this.insert(operator.id)).immediate();
    return this.view(row);
  }

  /** The shift slip (交班单) of an open shift (its summary so far) or a closed one; audited. */
  async printSlip(operator: OperatorView & { roles: readonly Role[] }, shiftId: string): Promise<PagePrintOutcome> {
    const row = this.row(shiftId);
    if (!row) throw new StationError('NOT_FOUND', '没有这个班次');
    this.mayTouch(operator, row);
    const shift = this.view(row);
    this.d.audit.append({ operatorId: operator.id, action: 'shift.slip', outcome: 'ok', detail: shift.id }, this.d.now());
    return this.d.print((paper) => shiftSlipHtml(shift, this.slipContext(paper)), `交班单 ${shift.operatorName}`);
  }

  /** The day slip (日结单); audited. */
  async printDaySlip(operator: OperatorView, day?: string): Promise<PagePrintOutcome> {
    const view = this.dayClose(day);
    this.d.audit.append({ operatorId: operator.id, action: 'shift.daySlip', outcome: 'ok', detail: view.day }, this.d.now());
    return this.d.print((paper) => daySlipHtml(view, this.slipContext(paper)), `日结单 ${view.day}`);
  }

  /**
   * Closes the shift (its own operator, or an admin — who closes another's shift, left open by a cashier who went
   * home signed in, with a reason, audited as such) with the drawer count when one was made; closing a closed shift
   * answers what it was closed with.
   */
  close(
    operator: OperatorView & { roles: readonly Role[] },
    shiftId: string,
    how: { reason?: string | undefined; drawer?: DrawerCount | undefined } = {},
  ): ShiftView {
    const { reason, drawer } = how;
    const row = this.d.db
      .transaction(() => {
        const shift = this.row(shiftId);
        if (!shift) throw new StationError('NOT_FOUND', '没有这个班次');
        this.mayTouch(operator, shift);
        if (shift.closed_at !== null) return shift;
        const forOther = shift.operator_id !== operator.id;
        if (forOther && !reason) throw new StationError('INVALID_ARGUMENT', '代交班须填写原因');
        const now = this.d.now();
        const closedAt = now.toISOString();
        const summary = shiftSummary(this.d.db, { operatorId: shift.operator_id, from: shift.covers_from, until: closedAt });
        this.d.db
          .prepare(
            `UPDATE shifts SET closed_at = ?, closed_by = ?, business_day = ?, summary_json = ?, drawer_counted_fen = ?,
               drawer_float_fen = ? WHERE id = ? AND closed_at IS NULL`,
          )
          .run(
            closedAt,
            operator.id,
            localDay(now, this.d.timeZone),
            JSON.stringify(summary),
            drawer?.countedFen ?? null,
            drawer ? drawer.floatFen : null,
            shift.id,
          );
        const counted = drawer ? drawerOf(summary, drawer.countedFen, drawer.floatFen) : null;
        this.d.audit.append(
          {
            operatorId: operator.id,
            action: forOther ? 'shift.closeForOther' : 'shift.close',
            outcome: 'ok',
            detail:
              `${shift.id} ${shift.operator_id} 笔数 ${summary.orders} 金额 ${summary.totalFen} 退费 ${summary.refundFen} 预交金退款 ${summary.depositRefundFen} 未结 ${summary.pending.length}` +
              (forOther ? ` 代交班原因：${reason}` : '') +
              (counted ? ` 钱箱 ${counted.countedFen} 应有 ${counted.expectedFen} 差额 ${counted.differenceFen}` : ''),
          },
          now,
        );
        return this.row(shiftId)!;
      })
      .immediate();
    return this.view(row);
  }

  /** The day's closed shifts of this station added up, and the shifts still open. */
  dayClose(date?: string): DayCloseView {
    const day = date ?? localDay(this.d.now(), this.d.timeZone);
    return this.d.db.transaction(() => {
      const shifts = (this.d.db.prepare(`${SELECT} WHERE s.business_day = ? ORDER BY s.closed_at, s.rowid`).all(day) as ShiftRow[]).map(
        (r) => this.view(r),
      );
      const open = this.d.db.prepare(`${SELECT} WHERE s.closed_at IS NULL ORDER BY s.opened_at, s.rowid`).all() as ShiftRow[];
      return {
        day,
        stationId: this.d.info.stationId,
        shifts,
        openShifts: open.map((r) => ({
          id: r.id,
          operatorId: r.operator_id,
          operatorName: r.operator_name ?? r.operator_id,
          openedAt: r.opened_at,
        })),
        totals: addUp(shifts.map((s) => s.summary)),
      };
    })();
  }

  private mayTouch(operator: OperatorView & { roles: readonly Role[] }, shift: ShiftRow): void {
    if (shift.operator_id !== operator.id && !operator.roles.includes('admin')) throw new StationError('FORBIDDEN', '只能交自己的班');
  }

  private slipContext(paper: ReceiptPaper): SlipContext {
    return { institutionName: this.d.info.institutionName, trainingMode: this.d.info.trainingMode, paper, now: this.d.now() };
  }

  private openRow(operatorId: string): ShiftRow | undefined {
    return this.d.db.prepare(`${SELECT} WHERE s.operator_id = ? AND s.closed_at IS NULL`).get(operatorId) as ShiftRow | undefined;
  }

  private row(id: string): ShiftRow | undefined {
    return this.d.db.prepare(`${SELECT} WHERE s.id = ?`).get(id) as ShiftRow | undefined;
  }

  private insert(operatorId: string): ShiftRow {
    const now = this.d.now().toISOString();
    const last = this.d.db.prepare('SELECT MAX(closed_at) AS at FROM shifts WHERE operator_id = ?').get(operatorId) as {
      at: string | null;
    };
    const id = (this.d.newId ?? randomUUID)();
    this.d.db
      .prepare('INSERT INTO shifts (id, station_id, operator_id, covers_from, opened_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, this.d.info.stationId, operatorId, last.at ?? now, now);
    this.d.audit.append({ operatorId, action: 'shift.open', outcome: 'ok', detail: id }, new Date(now));
    return this.row(id)!;
  }

  private view(r: ShiftRow): ShiftView {
    // A closed shift reads its frozen summary (checked: a row edited by hand is refused, not shown); an open one
    // is computed now, in one read transaction.
    const summary: ShiftSummary =
      r.summary_json !== null
        ? ShiftSummarySchema.parse(JSON.parse(r.summary_json))
        : this.d.db.transaction(() =>
            shiftSummary(this.d.db, { operatorId: r.operator_id, from: r.covers_from, until: this.d.now().toISOString() }),
          )();
    return {
      id: r.id,
      stationId: r.station_id,
      operatorId: r.operator_id,
      operatorName: r.operator_name ?? r.operator_id,
      coversFrom: r.covers_from,
      openedAt: r.opened_at,
      closedAt: r.closed_at,
      closedBy: r.closed_by,
      businessDay: r.business_day,
      summary,
      drawer: r.drawer_counted_fen === null ? null : drawerOf(summary, r.drawer_counted_fen, r.drawer_float_fen ?? 0),
    };
  }
}

/**
 * What the drawer should hold — the float, plus cash taken, less cash paid back and deposit surpluses paid out —
 * against what was counted.
 */
function drawerOf(summary: ShiftSummary, countedFen: number, floatFen: number): DrawerView {
  const cash = summary.channels.find((c) => c.channel === 'cash');
  const expectedFen = floatFen + (cash?.amountFen ?? 0) - (cash?.refundFen ?? 0) - summary.depositRefundFen;
  return { countedFen, floatFen, expectedFen, differenceFen: countedFen - expectedFen };
}

function addUp(summaries: readonly ShiftSummary[]): DayCloseView['totals'] {
  const channels = new Map<ShiftChannel, ShiftChannelLine>(
    SHIFT_CHANNELS.map((channel) => [channel, { channel, count: 0, amountFen: 0, refundCount: 0, refundFen: 0 }]),
  );
  const totals = { orders: 0, totalFen: 0, refunds: 0, refundFen: 0, netFen: 0, depositRefunds: 0, depositRefundFen: 0 };
  for (const s of summaries) {
    totals.orders += s.orders;
    totals.totalFen += s.totalFen;
    totals.refunds += s.refunds;
    totals.refundFen += s.refundFen;
    totals.netFen += s.netFen;
    totals.depositRefunds += s.depositRefunds;
    totals.depositRefundFen += s.depositRefundFen;
    for (const c of s.channels) {
      const sum = channels.get(c.channel)!;
      channels.set(c.channel, {
        channel: c.channel,
        count: sum.count + c.count,
        amountFen: sum.amountFen + c.amountFen,
        refundCount: sum.refundCount + c.refundCount,
        refundFen: sum.refundFen + c.refundFen,
      });
    }
  }
  return { ...totals, channels: [...channels.values()] };
}
