import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { Input, Modal, type InputRef } from 'antd';
import { formatYuan, type Fen } from '../../../shared/money';
import { useModalLayer } from '../../common/modal-layer';
import { tenderOf } from './cash-tender';

interface CashDialogProps {
  dueFen: Fen;
  onOk: (tenderedFen: Fen) => void;
  onCancel: () => void;
}

/**
 * 现金收款: the cashier types the notes handed over, the change shows as they type (to the fen), less than due is
 * refused; Enter records the payment (it cannot be taken back: the notes are in the drawer), Esc goes back.
 */
export function CashDialog({ dueFen, onOk, onCancel }: CashDialogProps) {
  useModalLayer();
  const [text, setText] = useState('');
  const input = useRef<InputRef>(null);
  const tender = tenderOf(text, dueFen);
  const confirm = useEffectEvent(() => {
    if (tender.kind === 'ok') onOk(tender.tenderedFen);
  });
  const cancel = useEffectEvent(onCancel);
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (event.repeat || (event.key !== 'Enter' && event.key !== 'Escape')) return;
      event.preventDefault();
      event.stopPropagation();
      if (event.key === 'Enter') confirm();
      else cancel();
    };
    window.addEventListener('keydown', listener, { capture: true });
    return () => window.removeEventListener('keydown', listener, { capture: true });
  }, []);
  return (
    <Modal
      open
      title="现金收款"
      width={440}
      keyboard={false}
      closable={false}
      maskClosable={false}
      afterOpenChange={(open) => open && input.current?.focus()}
      okText={
        <>
          确认收款 <kbd>Enter</kbd>
        </>
      }
      cancelText={
        <>
          返回 <kbd>Esc</kbd>
        </>
      }
      okButtonProps={{ disabled: tender.kind !== 'ok', ...{ 'data-testid': 'cash-confirm-ok' } }}
      cancelButtonProps={{ ...{ 'data-testid': 'cash-confirm-cancel' } }}
      onOk={confirm}
      onCancel={onCancel}
    >
      <div className="cash" data-testid="cash-dialog">
        <dl className="cash__lines">
          <dt>应收</dt>
          <dd className="tabular" data-testid="cash-due">
            {formatYuan(dueFen)}
          </dd>
          <dt>
            <label htmlFor="cash-tendered">收款</label>
          </dt>
          <dd>
            <Input
              id="cash-tendered"
              ref={input}
              autoFocus
              inputMode="decimal"
              autoComplete="off"
              prefix="¥"
              value={text}
              status={tender.kind === 'invalid' || tender.kind === 'short' ? 'error' : ''}
              onChange={(e) => setText(e.target.value)}
              data-testid="cash-tendered"
            />
          </dd>
          <dt>找零</dt>
          <dd className="cash__change tabular" data-testid="cash-change">
            {tender.kind === 'ok' ? formatYuan(tender.changeFen) : '—'}
          </dd>
        </dl>
        <p className="cash__hint" role="status" data-testid="cash-hint">
          {tender.kind === 'empty' && '请输入患者交来的现金金额（元）'}
          {tender.kind === 'invalid' && '金额格式不对：最多两位小数，例如 100 或 52.50'}
          {tender.kind === 'short' && `收款不足，还差 ${formatYuan(tender.shortFen)}`}
          {tender.kind === 'ok' && '请核对找零后按 Enter 确认收款（确认后不能撤回）'}
        </p>
      </div>
    </Modal>
  );
}
