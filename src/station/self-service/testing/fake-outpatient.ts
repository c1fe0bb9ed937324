/**
 * An in-memory outpatient core for self-service tests: orders with the states and rules of OutpatientService
 * (a step out of order is a CONFLICT, as there), a scripted outcome per payment, and errors to throw on a
 * given call. Every call is recorded, so a test asserts what moved and what did not.
 */
import type { FaceIdentity } from '../../../devices/parsers/face-messages';
import type { OperatorView, OrderState, OrderView, SettlementSplitView } from '../../../shared/domain';
import { StationError } from '../../../shared/result';
import { sampleOrder } from '../../../shared/testing/sample-order';
import type { SelfServicePort } from '../ports';
import { fen } from '../../../shared/money';

/** 'declined': stays awaiting payment; 'declined-unwound': the core undid the settlement itself (state 'open', HX-28). */
export type PayOutcome = 'paid' | 'declined' | 'declined-unwound' | 'in-doubt';

export interface FakeCall {
  method: keyof SelfServicePort;
  operatorId: string;
  orderId?: string;
  authCode?: string;
}

export function split(totalFen: number, { accountFen = 0, cashFen = 0, otherFundFen = 0 } = {}): SettlementSplitView {
  const fundFen = totalFen - accountFen - cashFen;
  return {
    totalFen: fen(totalFen),
    fundFen: fen(fundFen),
    poolFen: fen(fundFen - otherFundFen),
    accountFen: fen(accountFen),
    cashFen: fen(cashFen),
    deductibleFen: fen(0),
    balanceAfterFen: fen(100_000),
  };
}

export function openOrder(id: string, total: number, deptName = '内科'): OrderView {
  const totalFen = fen(total);
  return sampleOrder({
    id,
    hisOrderNo: `MZ${id}`,
    psnNo: '35000000000000000001',
    patientName: '陈建国',
    doctorName: '林医生',
    deptName,
    createdAt: '2026-03-02T01:00:00.000Z',
    lines: [
      {
        seq: 1,
        name: '阿莫西林胶囊',
        spec: '0.25g*24',
        unit: '盒',
        quantity: '1',
        unitPriceFen: totalFen,
        amountFen: totalFen,
        chargeLevel: '',
      },
    ],
    totalFen,
  });
}

export class FakeOutpatient implements SelfServicePort {
  readonly calls: FakeCall[] = [];
  readonly identities: FaceIdentity[] = [];
  private readonly orders = new Map<string, OrderView>();
  private readonly splits = new Map<string, SettlementSplitView>();
  /** outcome of each payByCode call, in order; 'paid' once used up */
  payOutcomes: PayOutcome[] = [];
  /** throw this error on the first call of that method */
  readonly throwOn = new Map<keyof SelfServicePort, StationError>();
  patientName = '陈建国';

  addOrder(order: OrderView, settlement: SettlementSplitView): void {
    this.orders.set(order.id, order);
    this.splits.set(order.id, settlement);
  }

  state(orderId: string): OrderState | undefined {
    return this.orders.get(orderId)?.state;
  }

  methods(): string[] {
    return this.calls.map((c) => (c.orderId ? `${c.method}:${c.orderId}` : c.method));
  }

  async identifyByFace(identity: FaceIdentity, operator: OperatorView): Promise<{ identificationId: string; name: string }> {
    await tick();
    this.record({ method: 'identifyByFace', operatorId: operator.id });
    this.identities.push(identity);
    return { identificationId: 'ident-1', name: this.patientName };
  }

  async listOrders(operator: OperatorView, identificationId: string): Promise<OrderView[]> {
    await tick();
    this.record({ method: 'listOrders', operatorId: operator.id });
    if (identificationId !== 'ident-1') throw new StationError('NOT_FOUND', '没有这次身份识别记录');
    return [...this.orders.values()].map((o) => structuredClone(o));
  }

  preSettle(operator: OperatorView, orderId: string): Promise<OrderView> {
    return this.step({ method: 'preSettle', operatorId: operator.id, orderId }, ['open', 'previewed'], (o) => {
      o.state = 'previewed';
      o.split = this.splits.get(o.id)!;
    });
  }

  settle(operator: OperatorView, orderId: string): Promise<OrderView> {
    return this.step({ method: 'settle', operatorId: operator.id, orderId }, ['previewed'], (o) => {
      o.setlId = `SETL-${o.id}`;
      o.state = o.split!.cashFen > 0 ? 'awaiting-payment' : 'completed';
      if (o.state === 'completed')
        o.his = { hisSettleNo: 'H1', invoiceNo: 'I1', pickupWindow: '西药房 3 号窗口', settledAt: '', type: 'insured' };
    });
  }

  payByCode(operator: OperatorView, orderId: string, authCode: string): Promise<OrderView> {
    return this.step({ method: 'payByCode', operatorId: operator.id, orderId, authCode }, ['awaiting-payment'], (o) => {
      const outcome = this.payOutcomes.shift() ?? 'paid';
      if (outcome === 'paid') {
        o.state = 'completed';
        o.detail = '';
      } else if (outcome === 'declined') o.detail = '付款失败：余额不足，可请患者换码重试或撤销结算';
      else if (outcome === 'declined-unwound') {
        o.state = 'open';
        o.split = null;
        o.setlId = null;
        o.detail = '付款失败：余额不足；医保结算已撤销';
      } else {
        o.state = 'in-doubt';
        o.detail = '正在确认付款结果（患者可能正在输入密码）';
      }
    });
  }

  cancelSettlement(operator: OperatorView, orderId: string): Promise<OrderView> {
    return this.step({ method: 'cancelSettlement', operatorId: operator.id, orderId }, ['awaiting-payment'], (o) => {
      // As the real undo leaves it: 2208 → 2205 → 2202 done, the order open and settleable again.
      o.state = 'open';
      o.split = null;
      o.setlId = null;
      o.detail = '收费员撤销医保结算（自助机：患者未完成付款）；医保结算、费用明细与挂号已撤销，可重新结算';
    });
  }

  private record(call: FakeCall): void {
    this.calls.push(call);
    const error = this.throwOn.get(call.method);
    if (error) {
      this.throwOn.delete(call.method);
      throw error;
    }
  }

  private async step(call: FakeCall, allowed: OrderState[], apply: (order: OrderView) => void): Promise<OrderView> {
    await tick();
    this.record(call);
    const order = this.orders.get(call.orderId!);
    if (!order) throw new StationError('NOT_FOUND', '没有这张收费单');
    if (!allowed.includes(order.state)) throw new StationError('CONFLICT', `收费单当前状态不允许此操作（${order.state}）`);
    apply(order);
    return structuredClone(order);
  }
}

/** An answer comes a little later, as from the centre. */
function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}
