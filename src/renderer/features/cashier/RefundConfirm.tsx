import { ReasonConfirm } from './ReasonConfirm';

/** Why the bill is refunded, kept with the refund, HIS's application and the audit. */
export const REFUND_REASONS = ['患者不再就诊', '医生取消处方', '重复收费', '其他原因'] as const;

export function RefundConfirm({
  summary,
  partial = false,
  onOk,
  onCancel,
}: {
  summary: string;
  /** Some lines only (部分退费). */
  partial?: boolean;
  onOk: (reason: string) => void;
  onCancel: () => void;
}) {
  return (
    <ReasonConfirm
      title={partial ? '部分退费？' : '整单退费？'}
      okText="退费"
      reasons={REFUND_REASONS}
      testId="confirm-refund"
      reasonTestId="refund-reason"
      onOk={onOk}
      onCancel={onCancel}
    >
      <p>{summary}</p>
      {partial ? (
        <p>HIS 审核所选项目后，医保中心撤销原结算并按剩余项目重新结算，自付差额原路退回患者的支付账户。</p>
      ) : (
        <p>HIS 审核后，医保中心撤销结算（统筹与个人账户退回），自付部分原路退回患者的支付账户。</p>
      )}
    </ReasonConfirm>
  );
}
