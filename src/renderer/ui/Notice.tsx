import type { HTMLAttributes, ReactNode } from 'react';

interface NoticeProps extends Omit<HTMLAttributes<HTMLDivElement>, 'title'> {
  tone: 'info' | 'warn' | 'danger';
  title: ReactNode;
  children?: ReactNode;
}

/** A message in the flow of the page. Warnings and errors are announced to screen readers as they appear. */
export function Notice({ tone, title, children, className, ...rest }: NoticeProps) {
  return (
    <div
      role={tone === 'info' ? 'status' : 'alert'}
      className={['notice', `notice--${tone}`, className].filter(Boolean).join(' ')}
      {...rest}
    >
      <p className="notice__title">{title}</p>
      {children && <div className="notice__body">{children}</div>}
    </div>
  );
}
