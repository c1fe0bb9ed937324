import type { ConnectivityView, LinkState } from '../../../shared/domain';
import { LINK_STATE_TONES } from './device-tone';
import { StatusBadge } from './StatusBadge';

const LINK_LABELS: Record<LinkState, string> = { online: '在线', offline: '离线', unknown: '状态未知' };

/** The insurance-centre link, and whether this operator holds today's 签到 (no settlement without it). */
export function NhsaBadge({ connectivity }: { connectivity: ConnectivityView | null }) {
  const state = connectivity?.nhsa ?? 'unknown';
  return (
    <StatusBadge
      tone={LINK_STATE_TONES[state]}
      state={state}
      tooltip={connectivity?.nhsaDetail ?? '正在查询医保中心连接'}
      testId="nhsa-badge"
    >
      医保中心 {LINK_LABELS[state]}
      {connectivity && (
        <span className="status-badge__extra" data-testid="nhsa-signin" data-signed-in={connectivity.signedInToday}>
          {connectivity.signedInToday ? '今日已签到' : '今日未签到'}
        </span>
      )}
    </StatusBadge>
  );
}
