import { useEffect } from 'react';

/**
 * While a modal dialog is open, the screen's function keys (F4 结算, Esc 清除 …) must not act on what lies
 * underneath it. Dialogs register here; `useHotkey` consults `modalOpen()` before firing.
 */
let depth = 0;

export function modalOpen(): boolean {
  return depth > 0;
}

/** How many modals are open: a layer that listens itself acts only while none opened above it (the lock). */
export function modalDepth(): number {
  return depth;
}

/** Marks a modal as open for as long as the calling component is mounted. */
export function useModalLayer(): void {
  useEffect(() => {
    depth++;
    return () => {
      depth--;
    };
  }, []);
}
