import { Form, Input, type InputRef } from 'antd';
import type { Ref } from 'react';

/** The password rule as every form that sets one says it (the core's own check is `password-policy.ts`). */
export const NEW_PASSWORD_RULE = '至少 8 位，须同时包含字母和数字，不能与工号相同';

interface PasswordFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  'data-testid': string;
  /** a password being set (the browser offers no saved one), or one being proved */
  purpose: 'new' | 'current';
  hint?: string;
  autoFocus?: boolean;
  invalid?: boolean;
  inputRef?: Ref<InputRef>;
}

/**
 * One password field for sign-in, unlock, first setup, the change at first sign-in and the administrator's
 * forms: a labelled antd password input with its hint under it. `data-testid` lands on the <input> itself.
 */
export function PasswordField({ label, value, onChange, purpose, hint, autoFocus, invalid, inputRef, ...rest }: PasswordFieldProps) {
  return (
    <Form.Item label={label} extra={hint} validateStatus={invalid ? 'error' : undefined} className="field">
      <Input.Password
        ref={inputRef}
        data-testid={rest['data-testid']}
        autoComplete={purpose === 'new' ? 'new-password' : 'current-password'}
        autoFocus={autoFocus}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </Form.Item>
  );
}
