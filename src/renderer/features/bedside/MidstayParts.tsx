import { Alert, Input } from 'antd';
import { useState, type ReactNode } from 'react';
import type { MidstaySettlementView, StayBillView, StayView, WardPatientView } from '../../../shared/inpatient';
import { formatYuan } from '../../../shared/money';
import type { Result } from '../../../shared/result';
import { useHotkey } from '../../common/use-hotkey';
import { useStation } from '../../common/station-context';
import { KeyConfirm } from '../cashier';
import type { BedsideStep } from './bedside-keys';
import { printInShellFirst } from './print-in-shell-first';

interface MidstayInput {
  current: WardPatientView | null;
  stay: StayView | null;
  /** the bill to date on screen (F4), what 中途结算 settles */
  bill: StayBillView | null;
  enabled: (key: string) => boolean;
  run: <T>(call: () => Promise<Result<T>>, then: (value: T) => void) => Promise<void>;
  setStep: (step: BedsideStep) => void;
  setPrinted: (text: string) => void;
}

/**
 * 中途结算 (Alt+M: the bill to date settled, confirmed by key, the result and its slip on F11) and 撤销入院 (Alt+X:
 * 2404 with a reason, confirmed by key) for the selected stay: the screen's parts and keys, beside the discharge's.
 */
export function useMidstay({ current, stay, bill, enabled, run, setStep, setPrinted }: MidstayInput) {
  const api = useStation();
  const [asking, setAsking] = useState<'settle' | 'cancel' | null>(null);
  const [done, setDone] = useState<MidstaySettlementView | null>(null);
  const [reason, setReason] = useState('');
  useHotkey('Alt+M', () => setAsking('settle'), { enabled: enabled('Alt+M') });
  useHotkey('Alt+X', () => (setReason(''), setAsking('cancel')), { enabled: enabled('Alt+X') });

  const settle = (stayId: string) =>
    void run(
      () => api.settleMidstay({ stayId }),
      (m) => (setDone(m), setStep('midstay')),
    );
  const cancel = (stayId: string) =>
    void run(
      () => api.cancelAdmission({ stayId, reason: reason.trim() }),
      () => setStep('none'),
    );
  const print = () => {
    if (!stay || !done) return;
    void printInShellFirst({ kind: 'midstay-voucher', stayId: stay.id, setlId: done.setlId }, setPrinted, () =>
      run(
        () => api.printMidstayVoucher({ stayId: stay.id, setlId: done.setlId }),
        (o) =>
          setPrinted(
            o.printed ? `中途结算单已发送到打印机：${o.printed.printer}` : '本工作站的核心没有可用的打印机：请在 系统管理 › 打印机 中设置',
          ),
      ),
    );
  };
  const onOk = () => {
    if (!stay || (asking === 'cancel' && !reason.trim())) return;
    setAsking(null);
    if (asking === 'settle') settle(stay.id);
    else cancel(stay.id);
  };
  const waiting = stay?.midway.find((m) => m.state === 'settled') ?? null;

  const dialog: ReactNode = asking && current && stay && (
    <KeyConfirm
      title={asking === 'settle' ? '中途结算' : '撤销入院'}
      okText={asking === 'settle' ? '结算' : '撤销入院'}
      danger
      testId={`confirm-${asking === 'settle' ? 'midstay' : 'cancel-admission'}`}
      onOk={onOk}
      onCancel={() => setAsking(null)}
    >
      {asking === 'settle' &&
        (waiting ? (
          <p>医保中心已完成的中途结算（自付 {formatYuan(waiting.cashFen)}）在 HIS 登记，预交金抵扣。</p>
        ) : (
          <p>
            {current.bedNo} 床中途结算至今费用 {bill ? formatYuan(bill.medfeeFen) : ''}：医保基金 {bill ? formatYuan(bill.fundFen) : ''}
            ，个人账户 {bill ? formatYuan(bill.acctFen) : ''}，个人自付 {bill ? formatYuan(bill.cashFen) : ''}{' '}
            由预交金支付。结算后患者继续住院。
          </p>
        ))}
      {asking === 'cancel' && (
        <>
          <p>{current.bedNo} 床撤销医保入院登记（2404）：已上传费用明细的，医保中心不予撤销。</p>
          <label htmlFor="cancel-admission-reason">撤销原因</label>
          <Input
            id="cancel-admission-reason"
            autoFocus
            autoComplete="off"
            maxLength={60}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="cancel-admission-reason"
          />
        </>
      )}
    </KeyConfirm>
  );
  const result: ReactNode = done && stay && done.setlId && (
    <Alert
      type="success"
      showIcon
      data-testid="midstay-result"
      message={`中途结算完成：费用 ${formatYuan(done.medfeeFen)}，医保基金 ${formatYuan(done.fundFen)}，个人账户 ${formatYuan(done.acctFen)}，个人自付 ${formatYuan(done.cashFen)}（预交金抵扣 ${formatYuan(done.booking?.depositsFen ?? 0)}）。患者继续住院，按 F11 打印中途结算单`}
    />
  );
  return { dialog, result, print, reset: () => setDone(null) };
}

/** The stay's mid-stay settlements so far, and one the centre made that HIS has still to book. */
export function MidwayLine({ stay }: { stay: StayView }) {
  const sum = (pick: (m: MidstaySettlementView) => number) => stay.midway.reduce((s, m) => s + pick(m), 0);
  const waiting = stay.midway.some((m) => m.state === 'settled');
  return (
    <Alert
      type={waiting ? 'warning' : 'info'}
      showIcon
      data-testid="midway-line"
      message={
        `已中途结算 ${stay.midway.length} 次：费用 ${formatYuan(sum((m) => m.medfeeFen))}，医保基金 ${formatYuan(sum((m) => m.fundFen))}，` +
        `个人自付 ${formatYuan(sum((m) => m.cashFen))}；出院结算只结其后的费用` +
        (waiting ? '。有一笔中途结算尚未在 HIS 登记：按 Alt+M 完成' : '')
      }
    />
  );
}
