import { Tag } from 'antd';
import type { OrderEBillView } from '../../../shared/domain';
import { EBILL_COLORS, EBILL_LABELS } from './order-labels';

/** A settlement's fiscal e-bill (AQ-15): its state and 票据号, as an order's result and a discharged stay show it. */
export function EBillTag({ ebill }: { ebill: OrderEBillView }) {
  return (
    <Tag color={EBILL_COLORS[ebill.state]} data-testid="ebill-state" data-ebill={ebill.state}>
      {EBILL_LABELS[ebill.state]}
      {ebill.no && <span className="code"> {ebill.no}</span>}
    </Tag>
  );
}
