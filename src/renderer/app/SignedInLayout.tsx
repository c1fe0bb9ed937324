import type { ReactNode } from 'react';
import type { SignedInOperator, StationInfo } from '../../shared/domain';
import { useHotkey } from '../common/use-hotkey';
import { StatusBar } from '../features/devices';
import { LockOverlay, OperatorMenu, useIdleLock } from '../features/session';
import { OutboxAlarm, PendingCount } from './OutboxAlarm';
import { TrainingBadge } from './TrainingBadge';
import { StorageAlarm } from './StorageAlarm';
import { ShiftButton } from '../features/shift';

interface SignedInLayoutProps {
  info: StationInfo;
  title: string;
  operator: SignedInOperator;
  onSignOut: () => void;
  children: ReactNode;
}

export function SignedInLayout({ info, title, operator, onSignOut, children }: SignedInLayoutProps) {
  const { locked, lock, unlocked } = useIdleLock(info.idleLockMinutes);
  useHotkey('F10', lock, { enabled: !locked });
  const hasTill = operator.roles.some((r) => r === 'cashier' || r === 'doctor' || r === 'nurse');
  return (
    <>
      <StorageAlarm />
      {/* the screen stays mounted under the lock (its patient and order kept), inert to keys and pointer */}
      <div className="signed-in" inert={locked}>
        <OutboxAlarm />
        <header className="app-header">
          <div className="app-header__place">
            <span className="app-header__product">医保结算工作站</span>
            <h1 className="app-header__title" data-testid="screen-title">
              {title}
            </h1>
            <span className="app-header__institution">{info.institutionName}</span>
            {info.trainingMode && <TrainingBadge />}
          </div>
          <div className="app-header__actions">
            {hasTill && <ShiftButton enabled={!locked} />}
            <OperatorMenu operator={operator} onLock={lock} onSignOut={onSignOut} />
          </div>
        </header>
        <main className="app-main">{children}</main>
        <StatusBar info={info} extra={<PendingCount />} />
      </div>
      {locked && <LockOverlay operator={operator} onUnlocked={unlocked} onSignOut={onSignOut} />}
    </>
  );
}
