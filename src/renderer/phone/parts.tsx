/** Small shared pieces of the patient's page. */
import type { ReactNode } from 'react';
import { formatYuan } from '../../shared/money';

export function Money({ fen, testId }: { fen: number; testId?: string }) {
  return (
    <span className="ph-money" data-testid={testId}>
      {formatYuan(fen)}
    </span>
  );
}

export function Notice({
  tone,
  title,
  children,
  testId,
}: {
  tone: 'info' | 'warn' | 'error' | 'ok';
  title: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <div className={`ph-notice ph-notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <strong>{title}</strong>
      {children ? <div className="ph-notice-body">{children}</div> : null}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <div className="ph-loading" role="status">
      <span className="ph-spinner" aria-hidden="true" />
      正在{what}…
    </div>
  );
}

/** The bottom bar: the step's one main action (and perhaps a second), always in reach of the thumb. */
export function ActionBar({ children }: { children: ReactNode }) {
  return <footer className="ph-actions">{children}</footer>;
}

export function Row({ label, children, strong }: { label: string; children: ReactNode; strong?: boolean }) {
  return (
    <div className={strong ? 'ph-row ph-row-strong' : 'ph-row'}>
      <span className="ph-row-label">{label}</span>
      <span className="ph-row-value">{children}</span>
    </div>
  );
}
