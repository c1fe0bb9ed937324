import { useEffect, useEffectEvent } from 'react';

/**
 * A window-wide function key (F2, Escape …) for keyboard-first screens. Ignores auto-repeat and modified
 * presses, so holding a key or a browser shortcut never fires it twice.
 */
export function useHotkey(key: string, handler: () => void): void {
  const onKey = useEffectEvent(handler);
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (event.key !== key || event.repeat || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      onKey();
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [key]);
}
