/** How serious a state is, the same words on every screen; the status bar's badges style by it. */
export type Tone = 'ok' | 'warn' | 'danger' | 'neutral' | 'info';

/** The antd Tag colour of each tone. */
export const TONE_COLORS: Record<Tone, string> = {
  ok: 'success',
  warn: 'warning',
  danger: 'error',
  neutral: 'default',
  info: 'processing',
};
