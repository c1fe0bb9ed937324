import { Form } from 'antd';
import type { FormEvent, ReactNode } from 'react';

interface SignInCardProps {
  title: ReactNode;
  titleId?: string;
  subtitle: ReactNode;
  'data-testid'?: string;
  onSubmit: (event: FormEvent) => void;
  children: ReactNode;
}

/**
 * The one card of the screens before work — sign-in, first setup, the password change, the lock: a title, who or
 * where, then the fields. A real <form>, so Enter in any field submits; antd's Form only lays the fields out.
 */
export function SignInCard({ title, titleId, subtitle, onSubmit, children, ...rest }: SignInCardProps) {
  return (
    <form className="signin-card" data-testid={rest['data-testid']} onSubmit={onSubmit} noValidate>
      <header className="signin-card__header">
        <h1 className="signin-card__title" id={titleId}>
          {title}
        </h1>
        <p className="signin-card__subtitle">{subtitle}</p>
      </header>
      <Form layout="vertical" component={false} requiredMark={false}>
        {children}
      </Form>
    </form>
  );
}
