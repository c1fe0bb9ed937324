import type { ReactNode } from 'react';
import type { OperatorView, StationInfo } from '../../shared/domain';
import { StatusBar } from '../features/devices';
import { OperatorMenu } from '../features/session';
import { OutboxAlarm } from './OutboxAlarm';
import { StorageAlarm } from './StorageAlarm';

interface SignedInLayoutProps {
  info: StationInfo;
  title: string;
  operator: OperatorView;
  onSignOut: () => void;
  children: ReactNode;
}

export function SignedInLayout({ info, title, operator, onSignOut, children }: SignedInLayoutProps) {
  return (
    <>
      <StorageAlarm />
      <OutboxAlarm />
      <header className="app-header">
        <div className="app-header__place">
          <span className="app-header__product">医保结算工作站</span>
          <h1 className="app-header__title" data-testid="screen-title">
            {title}
          </h1>
          <span className="app-header__institution">{info.institutionName}</span>
        </div>
        <OperatorMenu operator={operator} onSignOut={onSignOut} />
      </header>
      <main className="app-main">{children}</main>
      <StatusBar info={info} />
    </>
  );
}
