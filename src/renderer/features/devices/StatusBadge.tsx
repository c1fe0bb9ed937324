import type { ReactNode } from 'react';
import type { Tone } from '../../common/tone';

interface StatusBadgeProps {
  tone: Tone;
  state: string;
  tooltip: string;
  testId: string;
  children: ReactNode;
}

/** A dot and a label in the status bar; `data-state` carries the machine state for tests. */
export function StatusBadge({ tone, state, tooltip, testId, children }: StatusBadgeProps) {
  return (
    <span className={`status-badge status-badge--${tone}`} data-testid={testId} data-state={state} title={tooltip}>
      <span className="status-badge__dot" aria-hidden="true" />
      {children}
    </span>
  );
}
