import type { Role } from '../../shared/domain';
import { AdminScreen } from '../features/admin';
import { IdentifyScreen } from '../features/cashier';

export const WORKSPACE_TITLES: Record<Role, string> = {
  cashier: '收费窗口',
  doctor: '医生站',
  nurse: '床旁结算',
  admin: '系统管理',
};

/** Doctors and nurses share the cashier's identify step until their own settlement flows exist. */
export function Workspace({ role }: { role: Role }) {
  return role === 'admin' ? <AdminScreen /> : <IdentifyScreen />;
}
