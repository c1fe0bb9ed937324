import './session.css';

export { ChangePasswordScreen } from './ChangePasswordScreen';
export { LockOverlay } from './LockOverlay';
export { LoginScreen } from './LoginScreen';
export { OperatorMenu } from './OperatorMenu';
export { SetupScreen } from './SetupScreen';
export { useIdleLock } from './use-idle-lock';
export { useOperatorSession } from './use-operator-session';
