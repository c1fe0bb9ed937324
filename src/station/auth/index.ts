/** Operators' sign-in, lockout and administration. */
export { LoginService, type LockoutPolicy } from './login';
