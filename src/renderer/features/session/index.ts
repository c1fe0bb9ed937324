import './session.css';

export { LoginScreen } from './LoginScreen';
export { OperatorMenu } from './OperatorMenu';
export { useOperatorSession } from './use-operator-session';
