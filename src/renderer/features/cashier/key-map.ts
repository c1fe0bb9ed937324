import type { OrderView } from '../../../shared/domain';
import { pendingQr } from './order-labels';

/** One function key as the key bar shows it: grey (`enabled: false`) when it does nothing in this state. */
export interface KeyState {
  key: string;
  label: string;
  enabled: boolean;
}

export interface DeskKeyInput {
  /** whether a patient is on screen (F2 needs the identification strip, which the patient bar replaces) */
  identified: boolean;
  /** the order the keys act on (`actionableOrder`), or none */
  order: OrderView | undefined;
  /** whether any order of the patient is completed (F9 prints it) */
  hasCompleted: boolean;
  /** a step is running: its keys rest until it answers */
  busy: boolean;
  /** 撤销医保结算 and 现金收款 are the cashier's steps; the doctor and nurse stations do not offer them */
  canCancelSettlement: boolean;
  /** the operator works a till: 交班 (Ctrl+J, the header's ShiftButton takes it) is on the bar, resting while a step runs */
  hasTill?: boolean;
}

/** The cashier's own steps: 撤销医保结算, 现金收款, 银行卡收款. */
const CASHIER_ONLY = ['Del', 'F1', 'Alt+K'];

/**
 * The one key map of every patient-facing screen (收费窗口, 医生站, 床旁) and which keys act right now. The hotkeys
 * themselves live with the parts they drive; this is what the key bar shows, so it must say the same.
 */
export function deskKeys(input: DeskKeyInput): KeyState[] {
  const { identified, order, busy } = input;
  const state = busy ? undefined : order?.state;
  const qr = order ? pendingQr(order) : null;
  const keys: KeyState[] = [
    { key: 'F1', label: '现金收款', enabled: input.canCancelSettlement && state === 'awaiting-payment' && !qr },
    { key: 'Alt+K', label: '银行卡', enabled: input.canCancelSettlement && state === 'awaiting-payment' && !qr },
    { key: 'F2', label: '身份证号', enabled: !identified },
    { key: 'F3', label: '读社保卡', enabled: true },
    { key: 'F4', label: '预结算', enabled: state === 'open' },
    { key: 'F5', label: '确认结算', enabled: state === 'previewed' },
    { key: 'F6', label: '刷脸', enabled: true },
    { key: 'F7', label: '二维码收款', enabled: state === 'awaiting-payment' && !qr },
    { key: 'F8', label: '自费结算', enabled: state === 'open' },
    { key: 'F9', label: '打印结算单', enabled: input.hasCompleted },
    {
      key: 'Del',
      label: '撤销医保结算',
      enabled: input.canCancelSettlement && state === 'awaiting-payment' && order?.settleMode === 'insurance' && !qr,
    },
    { key: 'Esc', label: qr ? '取消二维码' : '清除/下一位', enabled: identified },
  ];
  if (input.hasTill) keys.push({ key: 'Ctrl+J', label: '交班', enabled: !busy });
  return input.canCancelSettlement ? keys : keys.filter((k) => !CASHIER_ONLY.includes(k.key));
}
