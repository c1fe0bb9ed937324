import { Alert, Button, Checkbox, Input, Modal } from 'antd';
import { useEffect, useEffectEvent, useState } from 'react';
import type { StayView } from '../../../shared/inpatient';
import { formatYuan } from '../../../shared/money';
import { stayUndoEffectLines, stayUndoEffects } from '../../../shared/stay-undo-effects';
import { stayUndoLine } from '../../../shared/stay-undo-line';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { useModalLayer } from '../../common/modal-layer';
import { useHotkey } from '../../common/use-hotkey';
import { useStation, useStationEvent } from '../../common/station-context';

type Step = 'find' | 'reason' | 'confirm' | 'done' | 'underway';

const UNDOABLE: readonly StayView['state'][] = ['completed', 'settled'];

/**
 * 撤销出院结算 at the window (AQ-17 / HM-07): Alt+Z, the stay found by 住院号, a reason typed, then confirmed by Enter
 * — HIS's booking is cancelled (the deposits back), then the centre's settlement (2305); the stay is discharged and
 * unsettled again, for the nurse to settle afresh. Alt+W in the reason step: the discharge too (2405), the patient in
 * hospital again, for a bill that must change. Money that already moved is said before the confirm and not moved back
 * (HM-07): a surplus refunded stays refunded (no longer a deposit), a shortfall paid becomes a deposit (转预交金).
 * A discharge paid on the patient's phone (医保移动支付) is refunded there instead — said before Enter: HIS's booking
 * cancelled without a deposit, 6203 reverses the insurance and returns the self-pay to the wallet.
 * An undo already under way (a lost answer being checked, a stop between steps) shows 撤销进行中 and offers nothing: it
 * finishes by itself. One the centre refused shows why it stopped; undoing again goes on from there.
 */
export function UndoStaySettlement() {
  const [open, setOpen] = useState(false);
  useHotkey('Alt+Z', () => setOpen(true), { enabled: !open });
  return (
    <>
      <Button size="small" data-testid="undo-stay-open" onClick={() => setOpen(true)}>
        撤销出院结算 <kbd>Alt+Z</kbd>
      </Button>
      {open && <UndoDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function UndoDialog({ onClose }: { onClose: () => void }) {
  useModalLayer();
  const api = useStation();
  const [step, setStep] = useState<Step>('find');
  const [iptNo, setIptNo] = useState('');
  const [reason, setReason] = useState('');
  const [backToWard, setBackToWard] = useState(false);
  const [stay, setStay] = useState<StayView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  // What happens to money that already moved, read from the stay as found (the undone stay no longer shows it).
  const [moved, setMoved] = useState<string[]>([]);
  const [onPhone, setOnPhone] = useState(false);

  async function find() {
    setBusy(true);
    setError(null);
    setRefusal(null);
    try {
      const answer = await api.findStayByIptNo({ iptNo: iptNo.trim() });
      if (!answer.ok) return setError(answer.error);
      setStay(answer.value);
      const open = answer.value.undo;
      if (open && open.stopped === null) return setStep('underway');
      // Stopped for a person after HIS's cancel (and maybe 2305): undoing again goes on where it stopped.
      const undoable = UNDOABLE.includes(answer.value.state) || (open !== null && answer.value.state === 'discharged');
      if (open) setBackToWard(open.backToWard);
      setMoved(undoable && !open ? stayUndoEffectLines(stayUndoEffects(answer.value)) : []);
      setOnPhone(undoable && !open && answer.value.settledOnPhone === true);
      if (undoable) setStep('reason');
      // A mid-stay settlement is not undone at the window (only the discharge's, the latest, is).
      else if (answer.value.midway.length > 0) setRefusal('该次住院只有中途结算：中途结算不能在窗口撤销，请联系医保科处理');
      else setRefusal('该次住院没有可撤销的出院结算（尚未结算或已撤销）');
    } finally {
      setBusy(false);
    }
  }

  async function undo() {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.undoDischargeSettlement({ stayId: stay!.id, reason: reason.trim(), backToWard });
      if (!answer.ok) {
        setError(answer.error);
        // A lost answer or a stop between steps: the undo is under way and finishes by itself.
        const now = await api.findStayByIptNo({ iptNo: stay!.iptNo });
        if (now.ok) setStay(now.value);
        return setStep(now.ok && now.value.undo?.stopped === null ? 'underway' : 'reason');
      }
      setStay(answer.value);
      setStep('done');
    } finally {
      setBusy(false);
    }
  }

  // An undo under way finishes by itself (the station carries it on): the dialog hears the stay's word and shows where
  // it ended — done, or stopped for a person (then undoing again goes on from there).
  useStationEvent('stayUpdated', (e) => {
    if (step !== 'underway' || busy || e.stayId !== stay?.id) return;
    void (async () => {
      const now = await api.findStayByIptNo({ iptNo: stay.iptNo });
      if (!now.ok) return;
      setStay(now.value);
      if (now.value.undo === null) setStep('done');
      else if (now.value.undo.stopped !== null) {
        setBackToWard(now.value.undo.backToWard);
        setStep('reason');
      }
    })();
  });

  const enter = useEffectEvent(() => {
    if (busy) return;
    if (step === 'find' && iptNo.trim()) void find();
    else if (step === 'reason' && reason.trim()) setStep('confirm');
    else if (step === 'confirm') void undo();
    else if (step === 'done' || step === 'underway') onClose();
  });
  const escape = useEffectEvent(() => {
    if (busy) return;
    if (step === 'confirm') setStep('reason');
    else onClose();
  });
  const toggleWard = useEffectEvent(() => step === 'reason' && setBackToWard((b) => !b));
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (!event.repeat && event.altKey && event.code === 'KeyW') {
        event.preventDefault();
        event.stopPropagation();
        return toggleWard();
      }
      if (event.repeat || (event.key !== 'Enter' && event.key !== 'Escape')) return;
      event.preventDefault();
      event.stopPropagation();
      if (event.key === 'Enter') enter();
      else escape();
    };
    window.addEventListener('keydown', listener, { capture: true });
    return () => window.removeEventListener('keydown', listener, { capture: true });
  }, []);

  const s = stay?.settlement;
  return (
    <Modal
      open
      title="撤销出院结算"
      width={520}
      keyboard={false}
      closable={false}
      maskClosable={false}
      footer={
        <p className="undo-stay__keys">
          {step === 'find' && '输入住院号后按 Enter 查找；Esc 关闭'}
          {step === 'reason' && '填写撤销原因后按 Enter；Alt+W 同时撤销出院；Esc 关闭'}
          {step === 'confirm' && '按 Enter 确认撤销；Esc 返回'}
          {(step === 'done' || step === 'underway') && '按 Enter 或 Esc 关闭'}
        </p>
      }
    >
      <div className="undo-stay" data-testid="undo-stay">
        <label htmlFor="undo-stay-ipt">住院号</label>
        <Input
          id="undo-stay-ipt"
          autoFocus
          autoComplete="off"
          disabled={step !== 'find'}
          value={iptNo}
          onChange={(e) => setIptNo(e.target.value)}
          data-testid="undo-stay-ipt"
        />
        {stay && s && (
          <dl className="undo-stay__split" data-testid="undo-stay-found">
            <dt>医疗费总额</dt>
            <dd>{formatYuan(s.medfeeFen)}</dd>
            <dt>统筹基金</dt>
            <dd>{formatYuan(s.fundFen)}</dd>
            <dt>个人账户</dt>
            <dd>{formatYuan(s.acctFen)}</dd>
            <dt>个人自付</dt>
            <dd>{formatYuan(s.cashFen)}</dd>
          </dl>
        )}
        {moved.length > 0 && (
          <Alert
            type="info"
            showIcon
            data-testid="undo-stay-moved"
            message={onPhone ? PHONE_MONEY_TITLE : step === 'done' ? '已发生的款项（未退未收）' : '已发生的款项，撤销时不退不收'}
            description={moved.join('；')}
          />
        )}
        {(step === 'reason' || step === 'confirm') && (
          <>
            <label htmlFor="undo-stay-reason">撤销原因</label>
            <Input
              id="undo-stay-reason"
              key="reason"
              autoFocus
              autoComplete="off"
              maxLength={60}
              disabled={step !== 'reason'}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-testid="undo-stay-reason"
            />
            <Checkbox
              checked={backToWard}
              disabled={step !== 'reason'}
              onChange={(e) => setBackToWard(e.target.checked)}
              data-testid="undo-stay-back-to-ward"
            >
              同时撤销出院，患者回到在院（医保 2405） <kbd>Alt+W</kbd>
            </Checkbox>
          </>
        )}
        {step === 'confirm' && (
          <Alert
            type="warning"
            showIcon
            data-testid="undo-stay-confirm"
            message={`确认撤销住院号 ${stay!.iptNo} 的出院结算？`}
            description={confirmText(onPhone, backToWard)}
          />
        )}
        {step === 'done' && (
          <Alert
            type="success"
            showIcon
            data-testid="undo-stay-done"
            message={`已撤销住院号 ${stay!.iptNo} 的出院结算`}
            description={doneText(onPhone, stay!.state === 'admitted')}
          />
        )}
        {step === 'underway' && stay?.undo && (
          <Alert type="warning" showIcon data-testid="undo-stay-underway" message="撤销进行中" description={stayUndoLine(stay.undo)} />
        )}
        {step !== 'underway' && stay?.undo?.stopped && (
          <Alert type="error" showIcon data-testid="undo-stay-stopped" message="撤销已停止" description={stayUndoLine(stay.undo)} />
        )}
        {refusal && <Alert type="info" showIcon data-testid="undo-stay-refusal" message={refusal} />}
        {error && <ErrorNotice error={error} testId="undo-stay-error" />}
      </div>
    </Modal>
  );
}

const PHONE_MONEY_TITLE = '患者在手机上用医保移动支付结算：撤销即原路退款';

/** What Enter does, said before it: the window's own path, or the phone's refund for a discharge paid on the phone. */
function confirmText(onPhone: boolean, backToWard: boolean): string {
  const ward = backToWard
    ? '和出院（2405）；患者回到“在院”，费用补录后由护士重新办理出院。'
    : '；患者回到“已出院、未结算”，由护士重新结算。';
  if (onPhone)
    return `HIS 出院结算作废（不转预交金），再由医保移动支付中心退款（6203）：医保基金和个人账户冲回，个人自付退回患者的医保移动支付钱包${backToWard ? '；再撤销出院（2405），患者回到“在院”。' : '；患者回到“已出院、未结算”，可在手机或床旁重新结算。'}`;
  return `HIS 出院结算作废、已抵扣的预交金恢复，再撤销医保住院结算（2305）${ward}`;
}

function doneText(onPhone: boolean, admitted: boolean): string {
  if (onPhone)
    return `HIS 结算已作废，医保移动支付已退款：医保部分已冲回，个人自付已退回患者钱包；患者为${admitted ? '“在院”。' : '“已出院、未结算”，可重新办理出院结算。'}`;
  return admitted
    ? 'HIS 结算已作废、预交金已恢复，医保结算和出院已撤销；患者为“在院”。'
    : 'HIS 结算已作废、预交金已恢复，医保结算已撤销；患者为“已出院、未结算”，可重新办理出院结算。';
}
