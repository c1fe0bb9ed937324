import { Button, Input } from 'antd';
import { useState, type FormEvent } from 'react';
import { idNumberFieldError, normaliseIdNumberInput } from '../../common/id-number-field';
import type { IdentifyDesk } from './use-identify-desk';

/**
 * The patient bar while nobody is identified: the ID-number field (F2), the card reader (F3), the resident ID
 * card (Alt+S) and the face terminal (F6) where the screen offers them; the scan box needs no control, a scan
 * identifies by itself.
 */
export function IdentifyStrip({ desk }: { desk: IdentifyDesk }) {
  // No maxLength: a cut-off number can be someone else's; the field says what is wrong instead (GB 11643).
  const [submitted, setSubmitted] = useState(false);
  const problem = idNumberFieldError(desk.certNo, submitted);
  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (idNumberFieldError(desk.certNo, true) === null) void desk.submitCertNo();
  }
  return (
    <form className="identify-strip" onSubmit={submit} noValidate aria-label="识别患者">
      <label className="identify-strip__label" htmlFor="idcard-input">
        <kbd>F2</kbd> 居民身份证号
      </label>
      <Input
        id="idcard-input"
        ref={desk.certNoRef}
        className="identify-strip__input"
        size="middle"
        data-testid="idcard-input"
        autoComplete="off"
        spellCheck={false}
        placeholder="患者无法出示医保电子凭证时输入 18 位身份证号"
        value={desk.certNo}
        status={problem ? 'error' : ''}
        aria-invalid={problem !== null}
        aria-describedby={problem ? 'idcard-problem' : undefined}
        onChange={(event) => {
          setSubmitted(false);
          desk.setCertNo(normaliseIdNumberInput(event.target.value));
        }}
      />
      {problem && (
        <span id="idcard-problem" className="identify-strip__problem" role="alert" data-testid="idcard-problem">
          {problem}
        </span>
      )}
      <Button htmlType="submit" type="primary" size="middle" data-testid="idcard-submit">
        读取参保信息 <kbd>Enter</kbd>
      </Button>
      <Button size="middle" data-testid="read-card" onClick={() => void desk.identifyByCard()}>
        读社保卡 <kbd>F3</kbd>
      </Button>
      {desk.offers.idCardReader && (
        <Button size="middle" data-testid="read-id-card" onClick={() => void desk.identifyByIdCardReader()}>
          读身份证 <kbd>Alt+S</kbd>
        </Button>
      )}
      {desk.offers.face && (
        <Button size="middle" data-testid="face-verify" onClick={() => void desk.identifyByFace()}>
          刷脸核验 <kbd>F6</kbd>
        </Button>
      )}
    </form>
  );
}
