import { IdentifyControls, IdentifyStagePane, KeyboardHints, useIdentifyDesk } from '../cashier';
import { Panel } from '../../ui';
import { TodayOrders } from './TodayOrders';

/**
 * HX-19, the clinic room: the doctor identifies the patient as the window does, sees (and may pre-settle and
 * settle, F4/F5) the patient's orders with their results, and keeps today's clinic-room settlements in view,
 * updated live. Undoing a settlement stays with the cashier.
 */
export function DoctorScreen() {
  const desk = useIdentifyDesk();
  return (
    <div className="doctor">
      <section className="identify__stage doctor__stage">
        <IdentifyStagePane desk={desk} canCancelSettlement={false} />
      </section>
      <TodayOrders title="今日诊间结算" data-testid="doctor-today-list" className="doctor__today" />
      <aside className="identify__side doctor__side">
        <IdentifyControls desk={desk} />
        <Panel title="快捷键">
          <KeyboardHints />
        </Panel>
      </aside>
    </div>
  );
}
