import { useEffect, useState } from 'react';
import { Button } from 'antd';
import { modalOpen } from '../../common/modal-layer';
import { ShiftCloseDialog } from './ShiftCloseDialog';

/** The key that opens 交班 on every screen of an operator with a till (Ctrl+J: no function key is free). */
export const SHIFT_KEY = {
  label: 'Ctrl+J',
  matches: (e: KeyboardEvent) => e.ctrlKey && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'j',
};

/** 交班 in the header: the button, its key, and the dialog it opens. */
export function ShiftButton({ enabled }: { enabled: boolean }) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!enabled || open) return;
    const listener = (event: KeyboardEvent) => {
      if (!SHIFT_KEY.matches(event) || event.repeat || modalOpen()) return;
      event.preventDefault();
      setOpen(true);
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [enabled, open]);
  return (
    <>
      <Button
        type="text"
        size="small"
        className="operator-menu__button"
        data-testid="shift-open"
        disabled={!enabled}
        onClick={() => setOpen(true)}
        title={`交班：本班汇总、打印交班单、交班并退出（${SHIFT_KEY.label}）`}
      >
        交班 <kbd>{SHIFT_KEY.label}</kbd>
      </Button>
      {open && <ShiftCloseDialog onClose={() => setOpen(false)} />}
    </>
  );
}
