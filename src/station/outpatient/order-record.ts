/** An outpatient order as the station keeps it: the HIS order and its lines as fetched, then each step's result. */
import type { OrderLineView, OrderState, OrderView, SettleMode, SettlementSplitView } from '../../shared/domain';
import type { Fen } from '../../shared/money';
import type { OrderReason } from '../../shared/order-reasons';
import type { HisSettlement } from '../../insurance/his';

export interface OrderRecord {
  id: string;
  hisOrderNo: string;
  identificationId: string;
  psnNo: string;
  insutype: string;
  insuredRegion: string;
  cert: { type: '01' | '02' | '03'; no: string };
  operatorId: string;
  doctorName: string;
  deptCode: string;
  deptName: string;
  state: OrderState;
  totalFen: Fen;
  mdtrtId: string | null;
  chrgBchno: string | null;
  setlId: string | null;
  split: SettlementSplitView | null;
  payBefore: string | null;
  /** Why the order is where it is (a code; the label table says it in words). */
  reason: OrderReason | null;
  createdAt: string;
  settleMode: SettleMode;
  /** Our idempotency key at HIS for this order's booking (settle.confirm / settle.selfpay). */
  hisSettleId: string | null;
  hisSettlement: HisSettlement | null;
  completedAt: string | null;
  push: OrderView['push'];
  lines: (OrderLineView & { feedetlSn: string; hisItemCode: string; medListCodg: string; rxNo: string })[];
}
