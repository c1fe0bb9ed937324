import { ReasonConfirm } from './ReasonConfirm';

/** Why the cashier cancels, kept with the order and the audit (HX-28). */
export const UNDO_REASONS = ['患者未缴费离开', '患者改为自费', '处方有误需修改', '其他原因'] as const;

export function UndoConfirm({ cash, onOk, onCancel }: { cash: string; onOk: (reason: string) => void; onCancel: () => void }) {
  return (
    <ReasonConfirm
      title="撤销本次医保结算？"
      okText="撤销医保结算"
      reasons={UNDO_REASONS}
      testId="confirm-undo"
      reasonTestId="undo-reason"
      onOk={onOk}
      onCancel={onCancel}
    >
      <p>
        医保中心将撤销本次结算、费用明细与挂号（统筹与个人账户退回），收费单回到待结算，可重新结算。患者尚未支付的自付 {cash} 不再收取。
      </p>
    </ReasonConfirm>
  );
}
