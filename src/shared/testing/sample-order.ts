/** An OrderView for tests of what reads one (labels, lists, fakes): an open insured order of 10.00 yuan. */
import type { OrderView } from '../domain';
import { fen } from '../money';

export function sampleOrder(patch: Partial<OrderView> = {}): OrderView {
  return {
    id: 'order-1',
    hisOrderNo: 'MZ0001',
    psnNo: 'P1',
    patientName: '张三',
    doctorName: '李医生',
    deptName: '内科',
    createdAt: '2025-01-02T08:00:00.000Z',
    state: 'open',
    lines: [],
    totalFen: fen(1_000),
    split: null,
    setlId: null,
    payBefore: null,
    reason: null,
    detail: '',
    settleMode: 'insurance',
    payments: [],
    his: null,
    push: 'none',
    ...patch,
  };
}
