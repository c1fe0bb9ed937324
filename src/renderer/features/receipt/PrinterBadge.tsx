import { useEffect, useState } from 'react';
import type { PrinterStatus } from '../../../shared/printing';
import { PRINTED_EVENT, printerBadge, printerBridge } from './printer-bridge';

/** How often the status bar asks the shell about the printer (the shell itself looks at most every 30 s). */
const POLL_MS = 30_000;

/**
 * The receipt printer in the status bar (Electron shell only; nothing in a browser, which prints by its dialog):
 * 就绪, 未找到 or 打印失败, the reason in its tooltip.
 */
export function PrinterBadge() {
  const [status, setStatus] = useState<PrinterStatus | null>(null);
  useEffect(() => {
    const bridge = printerBridge(window);
    if (!bridge) return;
    let live = true;
    const poll = () =>
      void bridge.status().then((s) => {
        if (live && s) setStatus(s);
      });
    poll();
    const timer = setInterval(poll, POLL_MS);
    window.addEventListener(PRINTED_EVENT, poll);
    return () => {
      live = false;
      clearInterval(timer);
      window.removeEventListener(PRINTED_EVENT, poll);
    };
  }, []);
  if (!status) return null;
  const badge = printerBadge(status);
  return (
    <span
      className={`status-badge status-badge--${badge.tone}`}
      data-testid="printer-badge"
      data-state={status.state}
      title={badge.tooltip}
    >
      <span className="status-badge__dot" aria-hidden="true" />
      {badge.label}
    </span>
  );
}
