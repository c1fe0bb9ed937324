import { ReasonConfirm } from './ReasonConfirm';

/** Why the bill is refunded, kept with the refund, HIS's application and the audit. */
export const REFUND_REASONS = ['患者不再就诊', '医生取消处方', '重复收费', '其他原因'] as const;

export function RefundConfirm({ summary, onOk, onCancel }: { summary: string; onOk: (reason: string) => void; onCancel: () => void }) {
  return (
    <ReasonConfirm
      title="整单退费？"
      okText="退费"
      reasons={REFUND_REASONS}
      testId="confirm-refund"
      reasonTestId="refund-reason"
      onOk={onOk}
      onCancel={onCancel}
    >
      <p>{summary}</p>
      <p>HIS 审核后，医保中心撤销结算（统筹与个人账户退回），自付部分原路退回患者的支付账户。</p>
    </ReasonConfirm>
  );
}
