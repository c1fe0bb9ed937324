import { countdownPhase, formatCountdown, remainingMs } from '../../common/format';
import { useNow } from '../../common/use-now';

interface CountdownProps {
  /** ISO time the countdown runs to */
  until: string;
  'data-testid'?: string;
  className?: string;
}

/** mm:ss to `until`, live; red in the last 30 seconds (`data-phase` says running / urgent / over). */
export function Countdown({ until, className, 'data-testid': testId }: CountdownProps) {
  const now = useNow(1000);
  const left = remainingMs(until, now) ?? 0;
  const phase = countdownPhase(left);
  return (
    <span
      className={['countdown', `countdown--${phase}`, 'tabular', className].filter(Boolean).join(' ')}
      data-testid={testId}
      data-phase={phase}
      role="timer"
      aria-live="off"
    >
      {formatCountdown(left)}
    </span>
  );
}
