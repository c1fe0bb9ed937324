import { Kbd } from '../../ui';

const HINTS = [
  { key: 'F2', text: '输入身份证号' },
  { key: 'F3', text: '读社保卡' },
  { key: 'F4', text: '医保预结算' },
  { key: 'F5', text: '确认结算' },
  { key: 'F6', text: '刷脸核验' },
  { key: 'F7', text: '二维码收款' },
  { key: 'F8', text: '自费结算（Enter 确认）' },
  { key: 'F9', text: '打印结算单' },
  { key: 'Enter', text: '读取参保信息' },
  { key: 'Esc', text: '取消二维码 / 清除当前患者' },
] as const;

export function KeyboardHints() {
  return (
    <ul className="keyboard-hints" aria-label="快捷键">
      {HINTS.map((hint) => (
        <li key={hint.key}>
          <Kbd>{hint.key}</Kbd>
          <span>{hint.text}</span>
        </li>
      ))}
    </ul>
  );
}
