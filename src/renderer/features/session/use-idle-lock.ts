import { useCallback, useEffect, useState } from 'react';
import { useStation } from '../../common/station-context';

const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;

/**
 * Locks the window after `minutes` without keyboard or pointer input, or at once on 锁屏 (issue 11). The screen
 * locks whatever the core answers — a window must never stay open because a call failed — and the core, told
 * too, refuses this session's calls until its operator's password unlocks it.
 */
export function useIdleLock(minutes: number) {
  const api = useStation();
  const [locked, setLocked] = useState(false);

  const lock = useCallback(() => {
    setLocked(true);
    void api.lockSession({});
  }, [api]);

  useEffect(() => {
    if (locked) return;
    let timer = window.setTimeout(lock, minutes * 60_000);
    const restart = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(lock, minutes * 60_000);
    };
    for (const name of ACTIVITY) window.addEventListener(name, restart, { capture: true, passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const name of ACTIVITY) window.removeEventListener(name, restart, { capture: true });
    };
  }, [locked, minutes, lock]);

  const unlocked = useCallback(() => setLocked(false), []);
  return { locked, lock, unlocked };
}
