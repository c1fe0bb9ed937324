import { useCallback, useEffect, useState } from 'react';
import type { SignedInOperator } from '../../../shared/domain';
import { useBridgeLink, useStation, useStationEvent } from '../../common/station-context';

export type SessionState =
  { status: 'checking' } | { status: 'signed-out'; notice: string | null } | { status: 'signed-in'; operator: SignedInOperator };

const SESSION_ENDED_NOTICES = {
  logout: null,
  expired: '登录已超时，请重新登录',
  disabled: '您的账户已被管理员停用',
  'password-reset': '管理员已重置您的密码，请用新密码登录',
  restarted: '工作站已重新启动，请重新登录',
} as const;

/**
 * Who is signed in on this window. Each new connection to the core is a new core session, so the answer is
 * asked again whenever the link (re)opens; a sign-in that did not survive a reconnect says so.
 */
export function useOperatorSession() {
  const api = useStation();
  const { opens } = useBridgeLink();
  const [session, setSession] = useState<SessionState>({ status: 'checking' });

  useStationEvent('sessionEnded', ({ reason }) => setSession({ status: 'signed-out', notice: SESSION_ENDED_NOTICES[reason] }));

  useEffect(() => {
    if (opens === 0) return;
    let current = true;
    void api.currentOperator({}).then((result) => {
      if (!current) return;
      setSession((previous) => {
        if (result.ok && result.value) return { status: 'signed-in', operator: result.value };
        const lost = previous.status === 'signed-in';
        return { status: 'signed-out', notice: lost ? '与工作站核心的连接已恢复，请重新登录' : null };
      });
    });
    return () => {
      current = false;
    };
  }, [api, opens]);

  const signedIn = useCallback((operator: SignedInOperator) => setSession({ status: 'signed-in', operator }), []);

  // The screen leaves at once, whatever the core answers or however long a reconnect takes: an operator who
  // pressed 退出 must never be left on a working screen.
  const signOut = useCallback(() => {
    setSession({ status: 'signed-out', notice: null });
    void api.logout({});
  }, [api]);

  return { session, signedIn, signOut };
}
