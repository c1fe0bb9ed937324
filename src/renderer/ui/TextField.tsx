import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'size'> {
  label: string;
  /** Shown after the label, e.g. the key that focuses the field. */
  labelAside?: ReactNode;
  hint?: string;
  size?: 'md' | 'lg';
  ref?: Ref<HTMLInputElement>;
}

export function TextField({ label, labelAside, hint, size = 'md', className, ref, ...input }: TextFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label className="field__label" htmlFor={id}>
        <span>{label}</span>
        {labelAside}
      </label>
      <input ref={ref} id={id} className={`field__input field__input--${size}`} aria-describedby={hintId} {...input} />
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}
