import type { ReactNode } from 'react';

/** A key cap, for the keyboard hints cashiers learn the screen by. */
export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="kbd">{children}</kbd>;
}
