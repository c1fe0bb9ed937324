import { Alert } from 'antd';
import { useState } from 'react';
import type { StayView } from '../../../shared/inpatient';
import { formatYuan } from '../../../shared/money';
import type { Result } from '../../../shared/result';
import { walletLabel } from '../../common/format';
import { useHotkey } from '../../common/use-hotkey';
import { useStation } from '../../common/station-context';
import { KeyConfirm, QrPanel } from '../cashier';

/**
 * 出院补缴 at the bedside: the stay is settled at the centre and the deposits fell short. The QR (F9) is turned
 * towards the patient (Esc closes it), or the patient's payment code goes on the scan box; once paid HIS books the
 * discharge and the stay completes by itself.
 */
export function ShortfallPanel({ stay }: { stay: StayView }) {
  const qr = stay.payments.find((p) => p.state === 'pending' && p.qrCode);
  const last = stay.payments.at(-1);
  const unpaid = last && (last.state === 'failed' || last.state === 'closed' || last.state === 'reversed');
  // A QR that ended unpaid was closed (the nurse's Esc, or its window ran out): nothing failed, so no red. A payment
  // code refused or reversed is a failure the nurse must see.
  const qrEnded = unpaid && last.mode === 'precreate';
  return (
    <div data-testid="shortfall-due" data-paying={qr ? 'qr' : 'none'}>
      <Alert
        type="warning"
        showIcon
        message={`医保已结算，预交金不足：需补缴 ${formatYuan(stay.shortfallFen)}`}
        description={qr ? undefined : '按 F9 显示补缴二维码，或请患者出示微信/支付宝付款码对准扫码枪'}
      />
      {unpaid && !qr && qrEnded && (
        <Alert
          type="info"
          showIcon
          data-testid="shortfall-qr-closed"
          message="补缴二维码已关闭，未收款；可按 F9 重新生成二维码，或请患者出示付款码"
        />
      )}
      {unpaid && !qr && !qrEnded && (
        <Alert type="error" showIcon data-testid="shortfall-refused" message="上一笔付款码补缴未成功（被拒或已撤销），请重新收款" />
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

interface CloseQrInput {
  stay: StayView | null;
  enabled: (key: string) => boolean;
  run: <T>(call: () => Promise<Result<T>>, then: (value: T) => void) => Promise<void>;
}

/**
 * Esc while the shortfall's QR waits (the cashier's key for the same thing): asks, then closes it at the platform,
 * so F9 and the patient's payment code work again at once rather than after the QR expires. A QR the patient paid
 * just before is booked by the station instead, and the screen shows it paid.
 */
export function useCloseShortfallQr({ stay, enabled, run }: CloseQrInput) {
  const api = useStation();
  const [asking, setAsking] = useState(false);
  useHotkey('Escape', () => setAsking(true), { enabled: enabled('Esc') });
  const close = () => {
    setAsking(false);
    if (stay)
      void run(
        () => api.cancelShortfallQr({ stayId: stay.id }),
        () => undefined,
      );
  };
  return {
    dialog: asking && (
      <KeyConfirm
        title="关闭补缴二维码？"
        okText="关闭二维码"
        danger
        testId="confirm-close-qr"
        onOk={close}
        onCancel={() => setAsking(false)}
      >
        <p>关闭后患者不能再扫此二维码付款：可按 F9 重新生成二维码，或请患者出示付款码扫码。</p>
      </KeyConfirm>
    ),
  };
}
