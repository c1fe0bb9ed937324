import { mayCall, operations } from '../../shared/api';
import type { Role } from '../../shared/domain';
import { AdminScreen } from '../features/admin';
import { IdentifyScreen, TodayList, UndoStaySettlement, WindowDepositRefunds } from '../features/cashier';
import { DoctorScreen } from '../features/doctor';
import { BedsideScreen } from '../features/bedside';

export const WORKSPACE_TITLES: Record<Role, string> = {
  cashier: '收费窗口',
  doctor: '医生站',
  nurse: '床旁结算',
  admin: '系统管理',
};

/**
 * The window also lists the deposit surpluses the bedside sent there, to pay out (issue 15).
 * The doctor has the clinic-room screen (HX-19); the nurse the bedside discharge screen (issue 15). While
 * nobody is identified the window lists today's settlements beside the scan prompt: detail, 补打, 退费 (issue 13).
 */
export function Workspace({ role, roles }: { role: Role; roles: readonly Role[] }) {
  switch (role) {
    case 'admin':
      return <AdminScreen />;
    case 'doctor':
      return <DoctorScreen />;
    case 'nurse':
      return <BedsideScreen />;
    default:
      return (
        <IdentifyScreen
          canCancelSettlement={mayCall(operations.cancelOrderSettlement.access, roles)}
          aside={
            <div className="desk__aside">
              {mayCall(operations.payOutDepositRefund.access, roles) && <WindowDepositRefunds />}
              {mayCall(operations.undoDischargeSettlement.access, roles) && <UndoStaySettlement />}
              <TodayList canRefund={mayCall(operations.refundOrder.access, roles)} />
            </div>
          }
        />
      );
  }
}
