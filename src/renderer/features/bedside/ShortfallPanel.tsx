import { Alert } from 'antd';
import type { StayView } from '../../../shared/inpatient';
import { formatYuan } from '../../../shared/money';
import { walletLabel } from '../../common/format';
import { QrPanel } from '../cashier';

/**
 * 出院补缴 at the bedside: the stay is settled at the centre and the deposits fell short. The QR (F9) is turned
 * towards the patient, or the patient's payment code goes on the scan box; once paid HIS books the discharge and
 * the stay completes by itself.
 */
export function ShortfallPanel({ stay }: { stay: StayView }) {
  const qr = stay.payments.find((p) => p.state === 'pending' && p.qrCode);
  const last = stay.payments.at(-1);
  const refused = last && (last.state === 'failed' || last.state === 'closed' || last.state === 'reversed');
  return (
    <div data-testid="shortfall-due" data-paying={qr ? 'qr' : 'none'}>
      <Alert
        type="warning"
        showIcon
        message={`医保已结算，预交金不足：需补缴 ${formatYuan(stay.shortfallFen)}`}
        description={qr ? undefined : '按 F9 显示补缴二维码，或请患者出示微信/支付宝付款码对准扫码枪'}
      />
      {refused && !qr && (
        <Alert type="error" showIcon data-testid="shortfall-refused" message="上一笔补缴未成功（付款码被拒或二维码已关闭），请重新收款" />
      )}
      {qr && <QrPanel payment={qr} disabled />}
    </div>
  );
}

/** The shortfall collected and the discharge booked: what was paid, and on which wallet. */
export function ShortfallPaid({ stay }: { stay: StayView }) {
  const paid = stay.payments.filter((p) => p.state === 'paid');
  const wallets = paid.map((p) => walletLabel(p.wallet));
  return (
    <Alert
      type="success"
      showIcon
      data-testid="shortfall-paid"
      message={`已补缴 ${formatYuan(paid.reduce((sum, p) => sum + p.amountFen, 0))}（${wallets.join('、')}），出院结算完成`}
    />
  );
}
