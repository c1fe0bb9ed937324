import { WALLET_LABELS, type PaymentView } from '../../shared/domain';
import { formatYuan } from '../../shared/money';

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

const time = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** "2025/01/02 08:00:00" in the station's local time. */
export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

/** "08:00:00" in the station's local time. */
export function formatTime(iso: string): string {
  return time.format(new Date(iso));
}

/** How much time is left, for a countdown: "29:59", "00:05", "1:02:03" past an hour; never negative. */
export function formatCountdown(remainingMs: number): string {
  const total = Math.max(0, Math.ceil(remainingMs / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/** The last 30 seconds of a countdown are shown in red. */
export const COUNTDOWN_URGENT_MS = 30_000;

export type CountdownPhase = 'running' | 'urgent' | 'over';

export function countdownPhase(remainingMs: number): CountdownPhase {
  if (remainingMs <= 0) return 'over';
  return remainingMs <= COUNTDOWN_URGENT_MS ? 'urgent' : 'running';
}

/** Milliseconds from `now` until the ISO time `until` (negative once past); null for a missing or bad time. */
export function remainingMs(until: string | null, now: number): number | null {
  if (!until) return null;
  const at = Date.parse(until);
  return Number.isNaN(at) ? null : at - now;
}

/** An aggregated QR (no wallet chosen) is paid with either app. */
export function walletLabel(wallet: PaymentView['wallet']): string {
  return wallet === 'unknown' ? '微信 / 支付宝' : WALLET_LABELS[wallet];
}

/** How a payment was made, as the cashier says it: 微信支付（付款码）, 支付宝（扫码支付）, 现金（收款 ¥50.00 找零 ¥39.63）. */
export function paymentWayLabel(p: Pick<PaymentView, 'wallet' | 'mode' | 'cash'>): string {
  if (p.mode === 'card') return '银行卡（POS 终端）';
  if (p.mode === 'cash') return p.cash ? `现金（收款 ${formatYuan(p.cash.tenderedFen)} 找零 ${formatYuan(p.cash.changeFen)}）` : '现金';
  return `${walletLabel(p.wallet)}（${p.mode === 'precreate' ? '扫码支付' : '付款码'}）`;
}
