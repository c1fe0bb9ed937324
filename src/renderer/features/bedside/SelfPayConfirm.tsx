import type { PatientView } from '../../../shared/domain';
import type { WardPatientView } from '../../../shared/inpatient';
import { formatDateTime } from '../../common/format';
import { maskPersonName } from '../cashier';

/**
 * What the nurse confirms for 自费转医保: the bed's HIS patient and the person the card found, and that the stay is
 * registered from its admission time — which the centre takes only within its window, so a late one is refused.
 */
export function SelfPayConfirm({ patient, person }: { patient: WardPatientView; person: PatientView }) {
  const insurance = person.insurances[0];
  return (
    <div data-testid="self-pay-confirm">
      <p>
        {patient.bedNo} 床 {maskPersonName(patient.patientName)}（住院号 {patient.iptNo}）由自费转为医保：
      </p>
      <p>
        识别到：{maskPersonName(person.name)} · {person.certNoMasked}
        {insurance ? ` · ${insurance.insutypeName}（${insurance.insuredRegionName}）` : ''}
      </p>
      <p>按入院时间 {formatDateTime(patient.admittedAt)} 向医保中心办理入院登记，HIS 费别改为医保，已发生的费用随后全部上传。</p>
      <p className="bedside__note">医保中心只在规定时限内（一般为入院后 3 日内）受理，超过时限将被拒绝，仍按自费结算。</p>
    </div>
  );
}
