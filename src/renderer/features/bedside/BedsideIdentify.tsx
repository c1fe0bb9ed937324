import { useEffect, useEffectEvent } from 'react';
import type { PatientView } from '../../../shared/domain';
import { IdentifyProblemNotice, IdentifyProgress, IdentifyStrip, useIdentifyDesk } from '../cashier';

/**
 * 医保入院登记's identification, the cashier's ways (AQ-13): an e-voucher on the scan box, F3 the social-security
 * card, Alt+S the resident ID card in the reader, F2 the typed ID number. Mounted only while the selected stay
 * can be registered, so a scan at any other time is not taken for it. The core refuses a person who is not the
 * bed's HIS patient; the identification is cleared either way, ready for the next try.
 */
export function BedsideIdentify({ onIdentified, selfPay = false }: { onIdentified: (patient: PatientView) => void; selfPay?: boolean }) {
  const desk = useIdentifyDesk({ face: false, idCardReader: true });
  const identified = desk.stage.kind === 'identified' ? desk.stage.patient : null;
  const admit = useEffectEvent((patient: PatientView) => {
    desk.clearForNext();
    onIdentified(patient);
  });
  useEffect(() => {
    if (identified) admit(identified);
  }, [identified]);
  return (
    <div className="bedside__identify" data-testid="bedside-identify">
      <IdentifyStrip desk={desk} />
      <p className="bedside__identify-hint">
        {selfPay ? '自费转医保' : '医保入院登记'}：请患者出示医保电子凭证（扫码墩），或读社保卡、身份证，或输入身份证号
      </p>
      {desk.problem && <IdentifyProblemNotice problem={desk.problem} />}
      {desk.stage.kind === 'identifying' && <IdentifyProgress method={desk.stage.method} />}
    </div>
  );
}
