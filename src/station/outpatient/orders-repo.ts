/**
 * Outpatient orders as the station settles them: the HIS order and lines as fetched, then each step's result.
 * Sealed: certificates, the centre's outputs, the doctor and department, each line's item, the balance and the
 * remotes' own words (migration 011). Amounts: INTEGER fen.
 */
import type { OrderLineView, OrderState, OrderView, SettleMode, SettlementSplitView } from '../../shared/domain';
import { chargeLevelName } from '../../shared/charge-level';
import { fen } from '../../shared/money';
import { describeOrderReason, type OrderReason } from '../../shared/order-reasons';
import type { HisOrder, HisSettlement } from '../../insurance/his';
import type { FieldCipher } from '../security';
import { reasonOf, SealedFields, type Care, type Item, type OrderRow as Row } from './order-row';
import type { Db } from '../store';
import { PaymentsRepo } from './payments-repo';
import type { OrderRecord } from './order-record';

export type { OrderRecord } from './order-record';
export type { Care, Item } from './order-row';

/** A stored line as screens and slips show it (without the codes the centre needs). */
export function lineView({
  seq,
  name,
  spec,
  unit,
  quantity,
  unitPriceFen,
  amountFen,
  chargeLevel,
}: OrderRecord['lines'][number]): OrderLineView {
  return { seq, name, spec, unit, quantity, unitPriceFen, amountFen, chargeLevel: chargeLevelName(chargeLevel) };
}

export class OrdersRepo {
  /** The cash-share attempts of the orders (payment code, QR). */
  readonly payments: PaymentsRepo;

  private readonly sealed: SealedFields;

  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
  ) {
    this.payments = new PaymentsRepo(db);
    this.sealed = new SealedFields(cipher);
  }

  /** Stores a HIS order the first time it is seen; an order already known keeps its own state. */
  upsertFromHis(
    order: HisOrder,
    who: {
      identificationId: string;
      psnNo: string;
      insutype: string;
      insuredRegion: string;
      cert: OrderRecord['cert'];
      operatorId: string;
    },
    id: string,
    now: Date,
  ): string {
    const known = this.db.prepare('SELECT id FROM outpatient_orders WHERE his_order_no = ?').get(order.orderNo) as
      { id: string } | undefined;
    if (known) return known.id;
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO outpatient_orders (id, his_order_no, identification_id, psn_no, insutype, insuplc_admdvs, cert_sealed,
             operator_id, care_sealed, doctor_index, state, total_fen, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
        )
        .run(
          id,
          order.orderNo,
          who.identificationId,
          who.psnNo,
          who.insutype,
          who.insuredRegion,
          this.cipher.sealJson(who.cert),
          who.operatorId,
          this.cipher.sealJson({ doctorName: order.doctor.name, deptCode: order.dept.code, deptName: order.dept.name } satisfies Care),
          this.sealed.doctorIndex(order.doctor.name),
          order.totalFen,
          now.toISOString(),
          now.toISOString(),
        );
      const insert = this.db.prepare(
        `INSERT INTO outpatient_order_lines (order_id, seq, feedetl_sn, his_item_code, med_list_codg, name, item_sealed,
           quantity, unit_price_fen, amount_fen, rx_no, his_line_no) VALUES (?, ?, ?, '', '', '', ?, ?, ?, ?, ?, ?)`,
      );
      let seq = 0;
      for (const rx of order.prescriptions) {
        for (const line of rx.lines) {
          seq += 1;
          insert.run(
            id,
            seq,
            `${order.orderNo}-${seq}`,
            this.cipher.sealJson({
              hisItemCode: line.hospCode,
              medListCodg: line.nationalCode,
              name: line.name,
              spec: line.spec,
              unit: line.unit,
            } satisfies Item),
            line.quantity,
            line.unitPriceFen,
            line.amountFen,
            rx.rxNo,
            line.lineNo,
          );
        }
      }
    })();
    return id;
  }

  get(id: string): OrderRecord | undefined {
    const row = this.db.prepare('SELECT * FROM outpatient_orders WHERE id = ?').get(id) as Row | undefined;
    return row ? this.decode(row) : undefined;
  }

  forIdentification(identificationId: string): OrderRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM outpatient_orders WHERE identification_id = ? ORDER BY created_at')
      .all(identificationId) as Row[];
    return rows.map((r) => this.decode(r));
  }

  update(
    id: string,
    fields: Partial<{
      state: OrderState;
      mdtrtId: string;
      chrgBchno: string;
      setlId: string;
      split: SettlementSplitView;
      feeResults: unknown;
      settlement: unknown;
      payBefore: string | null;
      reason: OrderReason | null;
      settleMode: SettleMode;
      hisSettleId: string;
      hisSettlement: HisSettlement;
      completedAt: string;
      push: OrderView['push'];
      eligibility: unknown;
    }>,
    now: Date,
  ): void {
    const sets: string[] = ['updated_at = ?'];
    const values: (string | number | null)[] = [now.toISOString()];
    const put = (col: string, v: string | number | null) => {
      sets.push(`${col} = ?`);
      values.push(v);
    };
    if (fields.state) put('state', fields.state);
    if (fields.mdtrtId) put('mdtrt_id', fields.mdtrtId);
    if (fields.chrgBchno) put('chrg_bchno', fields.chrgBchno);
    if (fields.setlId) put('setl_id', fields.setlId);
    if (fields.split) {
      put('fund_fen', fields.split.fundFen);
      put('pool_fen', fields.split.poolFen);
      put('account_fen', fields.split.accountFen);
      put('cash_fen', fields.split.cashFen);
      put('deductible_fen', fields.split.deductibleFen);
      put('balance_sealed', this.cipher.seal(String(fields.split.balanceAfterFen)));
    }
    if (fields.feeResults !== undefined) put('fee_results_sealed', this.cipher.sealJson(fields.feeResults));
    if (fields.settlement !== undefined) put('settlement_sealed', this.cipher.sealJson(fields.settlement));
    if (fields.payBefore !== undefined) put('pay_before', fields.payBefore);
    if (fields.reason !== undefined) {
      put('reason_code', fields.reason?.code ?? null);
      put('reason_text', this.sealed.text(fields.reason?.text ?? ''));
      put('reason_note', fields.reason?.note ?? null);
      put('reason_note_text', this.sealed.text(fields.reason?.noteText ?? ''));
      put('detail', ''); // the text of rows written before reasons were codes
    }
    if (fields.settleMode) put('settle_mode', fields.settleMode);
    if (fields.hisSettleId) put('his_settle_id', fields.hisSettleId);
    if (fields.hisSettlement) put('his_settlement_sealed', this.cipher.sealJson(fields.hisSettlement));
    if (fields.completedAt) put('completed_at', fields.completedAt);
    if (fields.push) put('push_state', fields.push);
    if (fields.eligibility !== undefined) put('eligibility_sealed', this.cipher.sealJson(fields.eligibility));
    this.db.prepare(`UPDATE outpatient_orders SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  }

  /**
   * The order goes back to 'open' after its insurance steps were all undone (the self-pay part failed, HX-28):
   * a new attempt starts from registration again, with new ids.
   */
  resetToOpen(id: string, reason: OrderReason | null, now: Date): void {
    this.db
      .prepare(
        `UPDATE outpatient_orders SET state = 'open', settle_mode = 'insurance', mdtrt_id = NULL, chrg_bchno = NULL, setl_id = NULL,
           fund_fen = NULL, pool_fen = NULL, account_fen = NULL, cash_fen = NULL, deductible_fen = NULL, balance_after_fen = NULL, balance_sealed = NULL,
           fee_results_sealed = NULL, settlement_sealed = NULL, pay_before = NULL, his_settle_id = NULL, detail = '',
           reason_code = ?, reason_text = ?, reason_note = NULL, reason_note_text = '', updated_at = ?
         WHERE id = ?`,
      )
      .run(reason?.code ?? null, this.sealed.text(reason?.text ?? ''), now.toISOString(), id);
    this.db.prepare(`UPDATE outpatient_order_lines SET charge_level = '' WHERE order_id = ?`).run(id);
  }

  /** The centre's last settlement answer kept for the order (2206 preview or 2207 booking), for the slip. */
  settlementOutput<T>(id: string): T | null {
    const row = this.db.prepare('SELECT settlement_sealed AS s FROM outpatient_orders WHERE id = ?').get(id) as
      { s: string | null } | undefined;
    return row?.s ? this.cipher.openJson<T>(row.s) : null;
  }

  /** HX-27: whether the patient's message went out (not an activity of the order: updated_at stays). */
  setPushState(orderId: string, state: OrderView['push']): void {
    this.db.prepare('UPDATE outpatient_orders SET push_state = ? WHERE id = ?').run(state, orderId);
  }

  /** HIS's order number → our order. */
  idByHisOrderNo(hisOrderNo: string): string | undefined {
    const row = this.db.prepare('SELECT id FROM outpatient_orders WHERE his_order_no = ?').get(hisOrderNo) as { id: string } | undefined;
    return row?.id;
  }

  /** Each line's charge level (甲/乙/丙) as the centre classified it in its 2204 answer. */
  setChargeLevels(orderId: string, results: readonly { feedetl_sn: string; chrgitm_lv: string }[]): void {
    const setLevel = this.db.prepare('UPDATE outpatient_order_lines SET charge_level = ? WHERE order_id = ? AND feedetl_sn = ?');
    for (const r of results) setLevel.run(r.chrgitm_lv, orderId, r.feedetl_sn);
  }

  /** Orders in these states (the sweeps' and recovery's candidates; an index on state keeps this off history). */
  inStates(states: readonly OrderState[]): { id: string; state: OrderState; mode: SettleMode; payBefore: string | null }[] {
    return this.db
      .prepare(
        `SELECT id, state, settle_mode AS mode, pay_before AS payBefore FROM outpatient_orders
         WHERE state IN (SELECT value FROM json_each(?)) ORDER BY created_at`,
      )
      .all(JSON.stringify(states)) as { id: string; state: OrderState; mode: SettleMode; payBefore: string | null }[];
  }

  /** Completed since `since` with HIS's details or the patient's message still owed (HX-25/27). */
  owingFollowUp(since: Date): string[] {
    const rows = this.db
      .prepare(
        `SELECT id FROM outpatient_orders WHERE state = 'completed' AND completed_at >= ?
           AND (push_state = 'pending' OR (his_settle_id IS NOT NULL AND his_settlement_sealed IS NULL))`,
      )
      .all(since.toISOString()) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Orders touched since `since` by this operator, or prescribed by this doctor; newest first. */
  today(since: Date, who: { operatorId: string; doctorName?: string }): { id: string; updatedAt: string }[] {
    const doctor = who.doctorName === undefined ? null : this.sealed.doctorIndex(who.doctorName);
    const rows = this.db
      .prepare(
        `SELECT id, updated_at AS updatedAt FROM outpatient_orders WHERE updated_at >= ? AND (operator_id = ? OR (? IS NOT NULL AND doctor_index = ?))
         ORDER BY updated_at DESC LIMIT 200`,
      )
      .all(since.toISOString(), who.operatorId, doctor, doctor) as { id: string; updatedAt: string }[];
    return rows;
  }

  view(id: string, patientName: string): OrderView | undefined {
    const o = this.get(id);
    if (!o) return undefined;
    return {
      id: o.id,
      hisOrderNo: o.hisOrderNo,
      psnNo: o.psnNo,
      patientName,
      doctorName: o.doctorName,
      deptName: o.deptName,
      createdAt: o.createdAt,
      state: o.state,
      lines: o.lines.map(lineView),
      totalFen: o.totalFen,
      split: o.split,
      setlId: o.setlId,
      payBefore: o.payBefore,
      reason: o.reason?.code ?? null,
      detail: describeOrderReason(o.state, o.reason),
      settleMode: o.settleMode,
      payments: this.payments.forOrder(id),
      his: o.hisSettlement
        ? {
            hisSettleNo: o.hisSettlement.hisSettleNo,
            invoiceNo: o.hisSettlement.invoiceNo,
            pickupWindow: o.hisSettlement.pickupWindow,
            settledAt: o.hisSettlement.settledAt,
            type: o.hisSettlement.type,
          }
        : null,
      push: o.push,
    };
  }

  /** The lines a partial refund (部分退费) took back from the order, for its refund slip. */
  refundedLines(orderId: string, refundId: string): OrderRecord['lines'] {
    return this.lines(orderId, refundId);
  }

  /** The order's lines: those it still has (`refundedBy` null), or those one refund took back. */
  private lines(orderId: string, refundedBy: string | null): OrderRecord['lines'] {
    const rows = this.db
      .prepare(
        `SELECT seq, feedetl_sn AS feedetlSn, item_sealed AS itemSealed, his_item_code AS hisItemCode, med_list_codg AS medListCodg,
                name, spec, unit, quantity, unit_price_fen AS unitPriceFen, amount_fen AS amountFen, charge_level AS chargeLevel, rx_no AS rxNo
         FROM outpatient_order_lines WHERE order_id = ? AND refunded_by IS ? ORDER BY seq`,
      )
      .all(orderId, refundedBy) as (Item & {
      seq: number;
      feedetlSn: string;
      itemSealed: string | null;
      quantity: string;
      unitPriceFen: number;
      amountFen: number;
      chargeLevel: string;
      rxNo: string;
    })[];
    return rows.map(({ itemSealed, ...l }) => ({
      ...l,
      ...(itemSealed ? this.cipher.openJson<Item>(itemSealed) : {}),
      unitPriceFen: fen(l.unitPriceFen),
      amountFen: fen(l.amountFen),
    }));
  }

  private decode(r: Row): OrderRecord {
    // A row from before migration 011 reads as it was until the start seals it (seal-legacy-rows.ts).
    const care: Care = r.care_sealed
      ? this.cipher.openJson<Care>(r.care_sealed)
      : { doctorName: r.doctor_name, deptCode: r.dept_code, deptName: r.dept_name };
    return {
      id: r.id,
      hisOrderNo: r.his_order_no,
      identificationId: r.identification_id,
      psnNo: r.psn_no,
      insutype: r.insutype,
      insuredRegion: r.insuplc_admdvs,
      cert: this.cipher.openJson(r.cert_sealed),
      operatorId: r.operator_id,
      ...care,
      state: r.state,
      totalFen: fen(r.total_fen),
      mdtrtId: r.mdtrt_id,
      chrgBchno: r.chrg_bchno,
      setlId: r.setl_id,
      split:
        r.fund_fen === null
          ? null
          : {
              totalFen: fen(r.total_fen),
              fundFen: fen(r.fund_fen),
              poolFen: fen(r.pool_fen ?? 0),
              accountFen: fen(r.account_fen ?? 0),
              cashFen: fen(r.cash_fen ?? 0),
              deductibleFen: fen(r.deductible_fen ?? 0),
              balanceAfterFen: fen(r.balance_sealed ? Number(this.cipher.open(r.balance_sealed)) : (r.balance_after_fen ?? 0)),
            },
      payBefore: r.pay_before,
      reason: reasonOf(r, (t) => this.sealed.openText(t)),
      createdAt: r.created_at,
      settleMode: r.settle_mode,
      hisSettleId: r.his_settle_id,
      hisSettlement: r.his_settlement_sealed ? this.cipher.openJson<HisSettlement>(r.his_settlement_sealed) : null,
      completedAt: r.completed_at,
      push: r.push_state,
      lines: this.lines(r.id, null),
    };
  }
}
