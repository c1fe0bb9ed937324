import { DeskStage, useIdentifyDesk } from '../cashier';
import { TodayOrders } from './TodayOrders';

/**
 * HX-19, the clinic room, on the cashier's parts: the patient bar, this patient's order (fee list above its settle
 * panel, F4/F5) on the left, today's clinic-room settlements on the right, updated live; the same key bar.
 * Undoing a settlement stays with the cashier.
 */
export function DoctorScreen() {
  const desk = useIdentifyDesk();
  return (
    <div className="desk doctor" data-testid="doctor-desk">
      <DeskStage
        desk={desk}
        canCancelSettlement={false}
        layout="stacked"
        idle={<p className="doctor__idle">请扫医保电子凭证、读社保卡（F3）或刷脸（F6）识别患者</p>}
      />
      <TodayOrders title="今日诊间结算" data-testid="doctor-today-list" className="doctor__today" />
    </div>
  );
}
