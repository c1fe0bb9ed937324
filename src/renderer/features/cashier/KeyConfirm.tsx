import { useEffect, useEffectEvent, type ReactNode } from 'react';
import { Modal } from 'antd';
import { useModalLayer } from '../../common/modal-layer';

interface KeyConfirmProps {
  title: string;
  children: ReactNode;
  okText: string;
  cancelText?: string;
  danger?: boolean;
  testId: string;
  onOk: () => void;
  onCancel: () => void;
}

/**
 * A step that cannot be taken back, confirmed by key: Enter does it, Esc goes back. The screen's own keys rest
 * while it is up (`useModalLayer`), and the two keys are taken before anything else sees them.
 */
export function KeyConfirm({ title, children, okText, cancelText = '返回', danger, testId, onOk, onCancel }: KeyConfirmProps) {
  useModalLayer();
  const ok = useEffectEvent(onOk);
  const cancel = useEffectEvent(onCancel);
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (event.repeat || (event.key !== 'Enter' && event.key !== 'Escape')) return;
      event.preventDefault();
      event.stopPropagation();
      if (event.key === 'Enter') ok();
      else cancel();
    };
    window.addEventListener('keydown', listener, { capture: true });
    return () => window.removeEventListener('keydown', listener, { capture: true });
  }, []);
  return (
    <Modal
      open
      title={title}
      width={440}
      keyboard={false}
      closable={false}
      maskClosable={false}
      okText={
        <>
          {okText} <kbd>Enter</kbd>
        </>
      }
      cancelText={
        <>
          {cancelText} <kbd>Esc</kbd>
        </>
      }
      okButtonProps={{ danger, ...{ 'data-testid': `${testId}-ok` } }}
      cancelButtonProps={{ ...{ 'data-testid': `${testId}-cancel` } }}
      onOk={onOk}
      onCancel={onCancel}
    >
      <div data-testid={testId}>{children}</div>
    </Modal>
  );
}
