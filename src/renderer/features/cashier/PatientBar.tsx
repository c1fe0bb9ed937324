import { Tag } from 'antd';
import { CERT_TYPE_LABELS, type PatientView } from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';
import { formatTime } from '../../common/format';
import { genderLabel, insuredStatus, insutypeLabel } from './patient-labels';

const STATUS_COLORS = { ok: 'success', warn: 'warning', danger: 'error', neutral: 'default', info: 'processing' } as const;

/** The patient on one line: who, which insurance where, the account balance; Esc for the next one. */
export function PatientBar({ patient }: { patient: PatientView }) {
  const insurance = patient.insurances[0];
  const status = insurance && insuredStatus(insurance.status);
  return (
    <section className="patient-bar" data-testid="patient-card" data-identification-id={patient.identificationId} aria-label="参保人信息">
      <span className="patient-bar__name" data-testid="patient-name">
        {patient.name}
      </span>
      <span data-testid="patient-person">
        {genderLabel(patient.gender)} {patient.age}岁
      </span>
      <span className="patient-bar__cert">
        <span data-testid="patient-cert-type">{CERT_TYPE_LABELS[patient.certType]}</span>{' '}
        <span className="code" data-testid="patient-cert-no">
          {patient.certNoMasked}
        </span>
      </span>
      {insurance && status ? (
        <>
          <span className="patient-bar__insurance" title={insurance.employer || undefined}>
            <span data-testid="patient-insutype">{insutypeLabel(insurance)}</span>
            <span data-testid="patient-region">
              {' · '}
              {insurance.insuredRegionName} <span className="code">{insurance.insuredRegion}</span>
            </span>
            {patient.crossRegion && <Tag color="warning">异地</Tag>}
            <Tag color={STATUS_COLORS[status.tone]} data-testid="patient-insured-status">
              {status.label}
            </Tag>
            {patient.insurances.length > 1 && <Tag>另有 {patient.insurances.length - 1} 项参保</Tag>}
          </span>
          <span className="patient-bar__balance">
            个账余额{' '}
            <strong className="tabular" data-testid="patient-balance">
              {formatYuan(insurance.balanceFen)}
            </strong>
          </span>
        </>
      ) : (
        <span className="patient-bar__none" data-testid="patient-uninsured">
          {patient.uninsured ? '未参保（就诊卡识别）— 只能自费结算（F8）' : '医保中心未返回有效参保信息'}
        </span>
      )}
      <span className="patient-bar__end">
        <span className="tabular">{formatTime(patient.identifiedAt)} 读取</span>
        <span>
          <kbd>Esc</kbd> 下一位
        </span>
      </span>
    </section>
  );
}
