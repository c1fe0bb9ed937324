import type { FormEvent, Ref } from 'react';
import { Button, Kbd, TextField } from '../../ui';

interface IdCardFormProps {
  value: string;
  onChange: (value: string) => void;
  onSubmit: () => void;
  ref: Ref<HTMLInputElement>;
}

/** The manual fallback when the patient cannot show an e-voucher. */
export function IdCardForm({ value, onChange, onSubmit, ref }: IdCardFormProps) {
  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit();
  }
  return (
    <form className="idcard-form" onSubmit={submit} noValidate>
      <TextField
        ref={ref}
        label="居民身份证号"
        labelAside={<Kbd>F2</Kbd>}
        size="lg"
        data-testid="idcard-input"
        maxLength={18}
        autoComplete="off"
        spellCheck={false}
        placeholder="18 位身份证号"
        hint="患者无法出示医保电子凭证时使用"
        value={value}
        onChange={(event) => onChange(event.target.value.replace(/\s/g, '').toUpperCase())}
      />
      <Button type="submit" variant="primary" size="lg" data-testid="idcard-submit">
        读取参保信息
      </Button>
    </form>
  );
}
