import type { StationInfo } from '../../shared/domain';
import { useStationQuery } from '../common/use-station-query';
import { DeviceStatusProvider } from '../features/devices';
import { ChangePasswordScreen, LoginScreen, SetupScreen, useOperatorSession } from '../features/session';
import { LinkLostBanner } from './LinkLostBanner';
import { SignedInLayout } from './SignedInLayout';
import { StartupScreen } from './StartupScreen';
import { TrainingBadge } from './TrainingBadge';
import { Workspace, WORKSPACE_TITLES } from './Workspace';

export function App() {
  const info = useStationQuery((api) => api.stationInfo({}));
  return (
    <div className="app">
      <LinkLostBanner />
      {info.status === 'loading' && <StartupScreen />}
      {info.status === 'failed' && <StartupScreen error={info.error} onRetry={info.reload} />}
      {info.status === 'ready' &&
        (info.value.needsSetup ? <SetupScreen info={info.value} onDone={info.reload} /> : <Session info={info.value} />)}
    </div>
  );
}

/** Login until someone signs in, a new password if an admin set theirs, then their role's workspace. */
function Session({ info }: { info: StationInfo }) {
  const { session, signedIn, signOut } = useOperatorSession();
  switch (session.status) {
    case 'checking':
      return <StartupScreen />;
    case 'signed-out':
      return (
        <>
          {/* signed in, the header carries it */}
          {info.trainingMode && (
            <div className="training-corner">
              <TrainingBadge />
            </div>
          )}
          <LoginScreen info={info} notice={session.notice} onSignedIn={signedIn} />
        </>
      );
    case 'signed-in':
      if (session.operator.mustChangePassword) {
        return <ChangePasswordScreen operator={session.operator} onChanged={signedIn} onSignOut={signOut} />;
      }
      return (
        <DeviceStatusProvider>
          <SignedInLayout info={info} title={WORKSPACE_TITLES[session.operator.role]} operator={session.operator} onSignOut={signOut}>
            <Workspace role={session.operator.role} roles={session.operator.roles} />
          </SignedInLayout>
        </DeviceStatusProvider>
      );
  }
}
