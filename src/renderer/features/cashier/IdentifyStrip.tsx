import { Button, Input } from 'antd';
import type { FormEvent } from 'react';
import type { IdentifyDesk } from './use-identify-desk';

/**
 * The patient bar while nobody is identified: the ID-number field (F2), the card reader (F3) and the face
 * terminal (F6); the scan box needs no control, a scan identifies by itself.
 */
export function IdentifyStrip({ desk }: { desk: IdentifyDesk }) {
  function submit(event: FormEvent) {
    event.preventDefault();
    void desk.submitCertNo();
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
        maxLength={18}
        autoComplete="off"
        spellCheck={false}
        placeholder="患者无法出示医保电子凭证时输入 18 位身份证号"
        value={desk.certNo}
        onChange={(event) => desk.setCertNo(event.target.value.replace(/\s/g, '').toUpperCase())}
      />
      <Button htmlType="submit" type="primary" size="middle" data-testid="idcard-submit">
        读取参保信息 <kbd>Enter</kbd>
      </Button>
      <Button size="middle" data-testid="read-card" onClick={() => void desk.identifyByCard()}>
        读社保卡 <kbd>F3</kbd>
      </Button>
      <Button size="middle" data-testid="face-verify" onClick={() => void desk.identifyByFace()}>
        刷脸核验 <kbd>F6</kbd>
      </Button>
    </form>
  );
}
