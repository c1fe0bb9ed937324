import type { HTMLAttributes } from 'react';

export type Tone = 'ok' | 'warn' | 'danger' | 'neutral' | 'info';

interface TagProps extends HTMLAttributes<HTMLSpanElement> {
  tone: Tone;
}

export function Tag({ tone, className, ...rest }: TagProps) {
  return <span className={['tag', `tag--${tone}`, className].filter(Boolean).join(' ')} {...rest} />;
}
