import { useBridgeLink } from '../common/station-context';

/** Shown while a lost connection to the core is being re-established; new actions wait for it. */
export function LinkLostBanner() {
  const { state } = useBridgeLink();
  if (state !== 'reconnecting') return null;
  return (
    <div className="link-lost-banner" data-testid="link-lost" role="alert">
      <strong>连接中断，正在重连…</strong>
      <span>与工作站核心的连接已断开。恢复前的操作将在重连后继续；断开时正在进行的操作请核对结果。</span>
    </div>
  );
}
