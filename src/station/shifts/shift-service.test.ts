import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditRepo, OperatorsRepo, openDatabase, type Db } from '../store';
import type { Role } from '../../shared/domain';
import { ShiftSummarySchema, type ShiftChannel, type ShiftSummary } from '../../shared/shifts';
import { ShiftService } from './shift-service';

let dir: string;
let db: Db;
let clock: Date;
let shifts: ShiftService;
const at = (iso: string) => (clock = new Date(iso));
const CASHIER = { id: 'sf001', name: '张敏', role: 'cashier' as const, roles: ['cashier'] as Role[] };
const OTHER = { id: 'sf002', name: '李娜', role: 'cashier' as const, roles: ['cashier'] as Role[] };
const ROLL = { printer: null, paper: '80mm' as const, copies: 1, source: 'config' as const, updatedBy: null, updatedAt: null };
const ADMIN = { id: 'admin', name: '王强', role: 'admin' as const, roles: ['admin'] as Role[] };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shifts-'));
  db = openDatabase(path.join(dir, 'station.db'));
  at('2026-12-04T00:30:00.000Z'); // 08:30 in Shanghai
  const operators = new OperatorsRepo(db);
  for (const o of [CASHIER, OTHER, ADMIN]) operators.insert({ ...o, passwordHash: '!' }, clock);
  db.prepare(`INSERT INTO persons (psn_no, certno_index, sealed, updated_at) VALUES ('P1', 'x', 'x', ?)`).run(clock.toISOString());
  db.prepare(
    `INSERT INTO identifications (id, at, operator_id, method, cert_type, psn_no, insuplc_admdvs, msgid)
     VALUES ('I1', ?, 'sf001', 'idcard', '02', 'P1', '350200', 'M1')`,
  ).run(clock.toISOString());
  shifts = new ShiftService({
    db,
    audit: new AuditRepo(db, 'st-1'),
    info: { stationId: 'st-1', institutionName: '厦门<弘爱>医院', trainingMode: false },
    now: () => clock,
    timeZone: 'Asia/Shanghai',
    // the page as the core would print it on an 80 mm roll; no printer of its own
    print: async (render) => ({ printed: null, html: render('80mm'), settings: ROLL }),
  });
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A surplus paid out in cash as the cash.deposit-refund movement records it final (inpatient/movements). */
function paidOutAtWindow(p: { refundId: string; operatorId: string; fen: number }) {
  db.prepare(`INSERT INTO window_cash_payouts (refund_id, stay_id, operator_id, amount_fen, paid_at) VALUES (?, 'S1', ?, ?, ?)`).run(
    p.refundId,
    p.operatorId,
    p.fen,
    clock.toISOString(),
  );
}

let seq = 0;
/** A completed bill of `operatorId` as the settlement leaves it: the split on the order, the cash share paid. */
function completedBill(o: { operatorId?: string; fund: number; acct: number; cash?: { channel: string; fen: number }; state?: string }) {
  const id = `O${++seq}`;
  const cash = o.cash?.fen ?? 0;
  db.prepare(
    `INSERT INTO outpatient_orders (id, his_order_no, identification_id, psn_no, insutype, insuplc_admdvs, cert_sealed, operator_id,
       state, total_fen, fund_fen, account_fen, cash_fen, created_at, updated_at, completed_at)
     VALUES (?, ?, 'I1', 'P1', '310', '350200', 'x', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    `H${seq}`,
    o.operatorId ?? 'sf001',
    o.state ?? 'completed',
    o.fund + o.acct + cash,
    o.fund,
    o.acct,
    cash,
    clock.toISOString(),
    clock.toISOString(),
    o.state && !['completed', 'refunded', 'refunding'].includes(o.state) ? null : clock.toISOString(),
  );
  if (o.cash) {
    db.prepare(
      `INSERT INTO payments (id, order_id, mode, channel, out_trade_no, amount_fen, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'paid', ?, ?)`,
    ).run(
      `PAY${seq}`,
      id,
      o.cash.channel === 'cash' ? 'cash' : 'micropay',
      o.cash.channel,
      `T${seq}`,
      o.cash.fen,
      clock.toISOString(),
      clock.toISOString(),
    );
    // a refused code before the one that paid: not money
    db.prepare(
      `INSERT INTO payments (id, order_id, mode, channel, out_trade_no, amount_fen, state, created_at, updated_at)
       VALUES (?, ?, 'micropay', ?, ?, ?, 'failed', ?, ?)`,
    ).run(`PAYF${seq}`, id, o.cash.channel, `TF${seq}`, o.cash.fen, clock.toISOString(), clock.toISOString());
  }
  return id;
}

function refundOf(orderId: string, r: { fund: number; acct: number; cash?: { channel: string; fen: number } }) {
  const id = `R${++seq}`;
  db.prepare(
    `INSERT INTO refunds (id, order_id, state, his_apply_id, his_confirm_id, fund_fen, acct_fen, cash_fen, operator_id, created_at, updated_at, finished_at)
     VALUES (?, ?, 'refunded', ?, ?, ?, ?, ?, 'sf001', ?, ?, ?)`,
  ).run(
    id,
    orderId,
    `RA${seq}`,
    `RC${seq}`,
    r.fund,
    r.acct,
    r.cash?.fen ?? 0,
    clock.toISOString(),
    clock.toISOString(),
    clock.toISOString(),
  );
  if (r.cash) {
    db.prepare(
      `INSERT INTO refund_payments (out_refund_no, refund_id, out_trade_no, channel, amount_fen, state, updated_at)
       VALUES (?, ?, 'T', ?, ?, 'refunded', ?)`,
    ).run(`RN${seq}`, id, r.cash.channel, r.cash.fen, clock.toISOString());
  }
  db.prepare(`UPDATE outpatient_orders SET state = 'refunded' WHERE id = ?`).run(orderId);
}

const channel = (s: ShiftSummary, c: ShiftChannel) => s.channels.find((l) => l.channel === c)!;

describe('shift close (交班)', () => {
  it('sums the operator’s bills and refunds by channel, names what is still waiting, and freezes it at the close', () => {
    const shift = shifts.open(CASHIER);
    at('2026-12-04T01:00:00.000Z');
    const first = completedBill({ fund: 10_000, acct: 2_000, cash: { channel: 'wechat', fen: 1_234 } });
    at('2026-12-04T02:00:00.000Z');
    completedBill({ fund: 0, acct: 0, cash: { channel: 'alipay', fen: 5_000 } });
    completedBill({ operatorId: 'sf002', fund: 99_999, acct: 0, cash: { channel: 'wechat', fen: 1 } }); // another cashier's
    const waiting = completedBill({ fund: 300, acct: 0, state: 'awaiting-payment' });
    at('2026-12-04T03:00:00.000Z');
    refundOf(first, { fund: 10_000, acct: 2_000, cash: { channel: 'wechat', fen: 1_234 } });
    at('2026-12-04T04:00:00.000Z');

    const closed = shifts.close(CASHIER, shift.id);
    const s = closed.summary;
    expect(s.orders).toBe(2);
    expect(s.totalFen).toBe(10_000 + 2_000 + 1_234 + 5_000);
    expect(channel(s, 'fund')).toEqual({ channel: 'fund', count: 1, amountFen: 10_000, refundCount: 1, refundFen: 10_000 });
    expect(channel(s, 'account')).toEqual({ channel: 'account', count: 1, amountFen: 2_000, refundCount: 1, refundFen: 2_000 });
    expect(channel(s, 'wechat')).toEqual({ channel: 'wechat', count: 1, amountFen: 1_234, refundCount: 1, refundFen: 1_234 });
    expect(channel(s, 'alipay')).toEqual({ channel: 'alipay', count: 1, amountFen: 5_000, refundCount: 0, refundFen: 0 });
    expect(channel(s, 'cash')).toEqual({ channel: 'cash', count: 0, amountFen: 0, refundCount: 0, refundFen: 0 });
    expect(channel(s, 'card')).toEqual({ channel: 'card', count: 0, amountFen: 0, refundCount: 0, refundFen: 0 });
    expect(s.channels.reduce((sum, l) => sum + l.amountFen, 0)).toBe(s.totalFen);
    expect([s.refunds, s.refundFen, s.netFen]).toEqual([1, 13_234, 5_000]);
    expect(s.pending.map((p) => [p.orderId, p.state])).toEqual([[waiting, 'awaiting-payment']]);
    expect([s.firstAt, s.lastAt]).toEqual(['2026-12-04T01:00:00.000Z', '2026-12-04T03:00:00.000Z']);
    expect(closed).toMatchObject({
      closedAt: '2026-12-04T04:00:00.000Z',
      closedBy: 'sf001',
      businessDay: '2026-12-04',
      operatorName: '张敏',
    });

    // Idempotent: a second close answers the first one's, even after more records arrived.
    at('2026-12-04T05:00:00.000Z');
    completedBill({ fund: 1, acct: 0 });
    expect(shifts.close(CASHIER, shift.id)).toEqual(closed);
    const audits = db.prepare(`SELECT action FROM audit_log WHERE action LIKE 'shift.%' ORDER BY id`).all() as { action: string }[];
    expect(audits.map((a) => a.action)).toEqual(['shift.open', 'shift.close']);
    // A closed shift cannot change, not even by SQL.
    expect(() => db.prepare(`UPDATE shifts SET summary_json = '{}' WHERE id = ?`).run(shift.id)).toThrow(/closed shift cannot change/);
    expect(() => db.prepare(`DELETE FROM shifts WHERE id = ?`).run(shift.id)).toThrow(/never deleted/);
  });

  it('the next sign-in opens a new shift that counts from the last close: a bill finished in between is counted once', () => {
    const first = shifts.open(CASHIER);
    expect(shifts.open(CASHIER).id).toBe(first.id); // one open shift per operator
    at('2026-12-04T01:00:00.000Z');
    completedBill({ fund: 100, acct: 0 });
    at('2026-12-04T02:00:00.000Z');
    expect(shifts.close(CASHIER, first.id).summary.totalFen).toBe(100);
    at('2026-12-04T02:30:00.000Z');
    completedBill({ fund: 200, acct: 0 }); // the resolver finished it after the close
    at('2026-12-04T03:00:00.000Z');
    const next = shifts.open(CASHIER);
    expect(next.id).not.toBe(first.id);
    expect(next.coversFrom).toBe('2026-12-04T02:00:00.000Z');
    expect(next.summary.totalFen).toBe(200);
  });

  it('the drawer count (钱箱清点): float + cash taken − cash refunded is expected; the difference is 短款 or 长款, frozen, on the slip', async () => {
    const shift = shifts.open(CASHIER);
    at('2026-12-04T01:00:00.000Z');
    const refunded = completedBill({ fund: 3_000, acct: 0, cash: { channel: 'cash', fen: 1_037 } });
    completedBill({ fund: 0, acct: 0, cash: { channel: 'cash', fen: 2_500 } });
    completedBill({ fund: 0, acct: 0, cash: { channel: 'wechat', fen: 9_999 } }); // not the drawer's
    at('2026-12-04T02:00:00.000Z');
    refundOf(refunded, { fund: 3_000, acct: 0, cash: { channel: 'cash', fen: 1_037 } });
    at('2026-12-04T03:00:00.000Z');

    // 100.00 float + 10.37 + 25.00 − 10.37 = 125.00 expected; 124.50 counted: 0.50 short
    const closed = shifts.close(CASHIER, shift.id, { drawer: { countedFen: 12_450, floatFen: 10_000 } });
    expect(channel(closed.summary, 'cash')).toEqual({ channel: 'cash', count: 2, amountFen: 3_537, refundCount: 1, refundFen: 1_037 });
    expect(closed.drawer).toEqual({ countedFen: 12_450, floatFen: 10_000, expectedFen: 12_500, differenceFen: -50 });
    expect(shifts.close(CASHIER, shift.id, { drawer: { countedFen: 99_999, floatFen: 0 } }).drawer).toEqual(closed.drawer); // frozen
    const { html } = await shifts.printSlip(CASHIER, shift.id);
    expect(html).toContain('<tr><td>实点现金</td><td class="n">124.50</td></tr>');
    expect(html).toContain('<tr class="net"><td>短款</td><td class="n">0.50</td></tr>');
    const audit = db.prepare(`SELECT detail FROM audit_log WHERE action = 'shift.close'`).get() as { detail: string };
    expect(audit.detail).toMatch(/钱箱 12450 应有 12500 差额 -50$/);

    // The next shift: no float, one more note than expected — 长款; a close without a count says so.
    const next = shifts.open(CASHIER);
    at('2026-12-04T04:00:00.000Z');
    completedBill({ fund: 0, acct: 0, cash: { channel: 'cash', fen: 800 } });
    at('2026-12-04T05:00:00.000Z');
    expect(shifts.close(CASHIER, next.id, { drawer: { countedFen: 900, floatFen: 0 } }).drawer).toMatchObject({
      expectedFen: 800,
      differenceFen: 100,
    });
    expect((await shifts.printSlip(CASHIER, next.id)).html).toContain('<tr class="net"><td>长款</td><td class="n">1.00</td></tr>');
    const third = shifts.open(CASHIER);
    expect(shifts.close(ADMIN, third.id, { reason: '收费员已下班未交班' }).drawer).toBeNull();
    expect((await shifts.printSlip(ADMIN, third.id)).html).toContain('钱箱清点：未清点');
  });

  it('a deposit surplus paid out of the drawer at the window lowers 应有现金 and is its own line 预交金退款 on the slip', async () => {
    const shift = shifts.open(CASHIER);
    at('2026-12-04T01:00:00.000Z');
    completedBill({ fund: 0, acct: 0, cash: { channel: 'cash', fen: 5_000 } });
    at('2026-12-04T02:00:00.000Z');
    paidOutAtWindow({ refundId: 'YJTK1', operatorId: CASHIER.id, fen: 32_050 });
    paidOutAtWindow({ refundId: 'YJTK2', operatorId: OTHER.id, fen: 700 }); // another cashier's drawer
    at('2026-12-04T03:00:00.000Z');

    // 500.00 float + 50.00 taken − 320.50 paid out = 229.50 expected; counted exactly so: no false 短款
    const closed = shifts.close(CASHIER, shift.id, { drawer: { countedFen: 22_950, floatFen: 50_000 } });
    expect(closed.summary).toMatchObject({ depositRefunds: 1, depositRefundFen: 32_050, refunds: 0, netFen: 5_000 });
    expect(closed.drawer).toEqual({ countedFen: 22_950, floatFen: 50_000, expectedFen: 22_950, differenceFen: 0 });
    const { html } = await shifts.printSlip(CASHIER, shift.id);
    expect(html).toContain(
      '<p class="deposit-refunds">预交金退款（现金）1 笔，合计 ¥320.50（<span class="cap">叁佰贰拾元零伍角整</span>）</p>',
    );
    expect(html).toContain('<tr class="net"><td>账实相符</td><td class="n">0.00</td></tr>');
    expect(shifts.dayClose('2026-12-04').totals).toMatchObject({ depositRefunds: 1, depositRefundFen: 32_050 });
  });

  it('a summary frozen before deposit refunds were counted still reads, with none', () => {
    const shift = shifts.open(CASHIER);
    const frozen = JSON.parse(JSON.stringify(shifts.close(CASHIER, shift.id).summary)) as Record<string, unknown>;
    delete frozen.depositRefunds;
    delete frozen.depositRefundFen;
    expect(ShiftSummarySchema.parse(frozen)).toMatchObject({ depositRefunds: 0, depositRefundFen: 0 });
  });

  it('only the shift’s own operator or an admin closes it; an admin closing an abandoned shift gives a reason, audited as 代交班', () => {
    const shift = shifts.open(CASHIER);
    expect(() => shifts.close(OTHER, shift.id)).toThrow('只能交自己的班');
    expect(() => shifts.close(ADMIN, shift.id)).toThrow('代交班须填写原因');
    expect(shifts.open(CASHIER).closedAt).toBeNull();
    expect(shifts.close(ADMIN, shift.id, { reason: '收费员已下班未交班' }).closedBy).toBe('admin');
    const audit = db.prepare(`SELECT action, detail FROM audit_log WHERE action LIKE 'shift.close%'`).all() as {
      action: string;
      detail: string;
    }[];
    expect(audit).toEqual([{ action: 'shift.closeForOther', detail: expect.stringContaining('代交班原因：收费员已下班未交班') }]);
    // Its own close needs no reason.
    expect(shifts.close(CASHIER, shifts.open(CASHIER).id).closedBy).toBe(CASHIER.id);
  });
});

describe('day close (日结)', () => {
  it("adds up the day's closed shifts of the station and names the shifts still open", () => {
    const a = shifts.open(CASHIER);
    const b = shifts.open(OTHER);
    at('2026-12-04T01:00:00.000Z');
    completedBill({ fund: 1_000, acct: 500, cash: { channel: 'wechat', fen: 300 } });
    completedBill({ operatorId: 'sf002', fund: 0, acct: 0, cash: { channel: 'alipay', fen: 700 } });
    at('2026-12-04T09:00:00.000Z');
    shifts.close(CASHIER, a.id);
    shifts.close(OTHER, b.id);
    const c = shifts.open(CASHIER); // the evening shift, still open
    at('2026-12-04T16:30:00.000Z'); // 00:30 the next day in Shanghai: another day's shift
    const late = shifts.open(OTHER);
    completedBill({ operatorId: 'sf002', fund: 5, acct: 0 });
    at('2026-12-04T17:00:00.000Z');
    shifts.close(OTHER, late.id);

    const day = shifts.dayClose('2026-12-04');
    expect(day.shifts.map((s) => s.id)).toEqual([a.id, b.id]);
    expect(day.openShifts.map((s) => [s.id, s.operatorName])).toEqual([[c.id, '张敏']]);
    expect([day.totals.orders, day.totals.totalFen, day.totals.netFen]).toEqual([2, 2_500, 2_500]);
    expect(day.totals.channels.map((l) => [l.channel, l.amountFen])).toEqual([
      ['fund', 1_000],
      ['account', 500],
      ['wechat', 300],
      ['alipay', 700],
      ['cash', 0],
      ['card', 0],
    ]);
    expect(shifts.dayClose('2026-12-05').totals.totalFen).toBe(5);
    // no day given: the station's today in its zone (01:00 on the 5th in Shanghai), not the machine's
    expect(shifts.dayClose()).toMatchObject({ day: '2026-12-05', totals: { totalFen: 5 } });
  });
});

describe('the shift slip (交班单) and the day slip (日结单)', () => {
  it('prints the channels, the totals in capitals, the orders still waiting, escaped, for the chosen paper; each print audited', async () => {
    const shift = shifts.open(CASHIER);
    at('2026-12-04T01:00:00.000Z');
    const first = completedBill({ fund: 10_000, acct: 2_000, cash: { channel: 'wechat', fen: 1_234 } });
    completedBill({ fund: 0, acct: 0, cash: { channel: 'alipay', fen: 120_460 } });
    completedBill({ fund: 300, acct: 0, state: 'in-doubt' });
    at('2026-12-04T02:00:00.000Z');
    refundOf(first, { fund: 10_000, acct: 2_000, cash: { channel: 'wechat', fen: 1_234 } });
    at('2026-12-04T03:00:00.000Z');
    shifts.close(CASHIER, shift.id);

    const { html, printed } = await shifts.printSlip(CASHIER, shift.id);
    expect(printed).toBeNull();
    expect(html).toContain('<h1>收费员交班单</h1>');
    expect(html).toContain('厦门&lt;弘爱&gt;医院');
    expect(html).toContain('data-paper="80mm"');
    expect(html).toContain('width: 72mm');
    expect(html).toContain(
      '<tr data-channel="wechat"><td>微信</td><td class="n">1</td><td class="n">12.34</td><td class="n">1</td><td class="n">12.34</td></tr>',
    );
    expect(html).toContain('<tr data-channel="cash"><td>现金</td><td class="n">0</td><td class="n">0.00</td>');
    // 100.00 + 20.00 + 12.34 + 1204.60 = 1336.94; refunded 132.34; net 1204.60
    expect(html).toContain('结算 2 笔，合计 ¥1336.94（<span class="cap">壹仟叁佰叁拾陆元玖角肆分</span>）');
    expect(html).toContain('退费 1 笔，合计 ¥132.34（<span class="cap">壹佰叁拾贰元叁角肆分</span>）');
    expect(html).toContain('净收 ¥1204.60（<span class="cap">壹仟贰佰零肆元陆角整</span>）');
    expect(html).toMatch(/未完成的单据 1 笔.*H\d+ 结果未知 — 正在核实 ¥3\.00/s);
    expect(html).toContain('班次：2026-12-04 08:30:00 至 2026-12-04 11:00:00');
    expect(html).not.toMatch(/<script|src=|href=/);
    await expect(shifts.printSlip(OTHER, shift.id)).rejects.toThrow('只能交自己的班');

    const day = await shifts.printDaySlip(ADMIN, '2026-12-04');
    expect(day.html).toContain('<h1>收费日结单</h1>');
    expect(day.html).toContain('<tr><td>张敏</td><td>2026-12-04 11:00:00</td><td class="n">2</td><td class="n">1204.60</td></tr>');
    expect(day.html).toContain('净收 ¥1204.60（<span class="cap">壹仟贰佰零肆元陆角整</span>）');
    const audits = db.prepare(`SELECT action FROM audit_log WHERE action LIKE 'shift.%' ORDER BY id`).all() as { action: string }[];
    expect(audits.map((a) => a.action)).toEqual(['shift.open', 'shift.close', 'shift.slip', 'shift.daySlip']);
  });
});

describe('a shift stays off the history (EXPLAIN QUERY PLAN)', () => {
  it('no query of the summary, the close or the day close walks the orders, payments, refunds or shifts', () => {
    const seen = new Set<string>();
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      seen.add(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    const shift = shifts.open(CASHIER);
    shifts.close(CASHIER, shift.id);
    shifts.open(CASHIER);
    shifts.dayClose('2026-12-04');
    db.prepare = prepare;
    const mine = [...seen].filter((sql) => /outpatient_orders|payments|refunds|shifts/.test(sql));
    expect(mine.length).toBeGreaterThanOrEqual(8);
    const scans = mine.flatMap((sql) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(sql.match(/\?/g) ?? []).map(() => null)) as { detail: string }[])
        .map((p) => p.detail)
        // the open shifts through their partial index hold one row per operator at most: not history
        .filter((d) => /^SCAN (outpatient_orders|payments|refunds|refund_payments|shifts|o|p|r|rp|s)\b/.test(d))
        .filter((d) => !/USING INDEX shifts_open_by_operator\b/.test(d))
        .map((d) => `${d} in ${sql.slice(0, 80)}`),
    );
    expect(scans).toEqual([]);
  });
});
