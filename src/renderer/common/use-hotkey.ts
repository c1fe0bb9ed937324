import { useEffect, useEffectEvent } from 'react';
import { modalOpen } from './modal-layer';

export interface HotkeyOptions {
  /** false: not listening (e.g. the action does not apply right now). Default true. */
  enabled?: boolean;
  /**
   * Claims the key before the screen's other hotkeys: the listener runs in the capture phase and stops the
   * event, so a panel in front (a pending QR, a confirm step) takes Esc or Enter from the screen behind it.
   */
  claim?: boolean;
}

/**
 * A window-wide function key (F2, Escape …, or Alt+letter) for keyboard-first screens. Ignores auto-repeat and other modified
 * presses, so holding a key or a browser shortcut never fires it twice, and stays silent while a modal dialog
 * is open.
 */
export function useHotkey(key: string, handler: () => void, options: HotkeyOptions = {}): void {
  const { enabled = true, claim = false } = options;
  const onKey = useEffectEvent(handler);
  useEffect(() => {
    if (!enabled) return;
    // 'Alt+K': by the physical key, since Alt changes the character on some layouts.
    const alt = key.startsWith('Alt+');
    const matches = (event: KeyboardEvent) => (alt ? event.code === `Key${key.slice(4).toUpperCase()}` : event.key === key);
    const listener = (event: KeyboardEvent) => {
      if (!matches(event) || event.repeat || event.altKey !== alt || event.ctrlKey || event.metaKey || event.shiftKey) return;
      if (modalOpen()) return;
      event.preventDefault();
      if (claim) event.stopPropagation();
      onKey();
    };
    window.addEventListener('keydown', listener, { capture: claim });
    return () => window.removeEventListener('keydown', listener, { capture: claim });
  }, [key, enabled, claim]);
}
