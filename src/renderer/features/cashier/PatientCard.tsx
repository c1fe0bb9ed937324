import { CERT_TYPE_LABELS, type PatientView } from '../../../shared/domain';
import { formatTime } from '../../common/format';
import { Kbd, Tag } from '../../ui';
import { InsuranceSummary } from './InsuranceSummary';
import { genderLabel } from './patient-labels';

export function PatientCard({ patient }: { patient: PatientView }) {
  return (
    <article className="patient-card" data-testid="patient-card" data-identification-id={patient.identificationId} aria-label="参保人信息">
      <header className="patient-card__header">
        <h2 className="patient-card__name" data-testid="patient-name">
          {patient.name}
        </h2>
        <p className="patient-card__person" data-testid="patient-person">
          {genderLabel(patient.gender)} · {patient.age} 岁
        </p>
        {patient.crossRegion && <Tag tone="warn">异地就医</Tag>}
      </header>
      <dl className="facts">
        <div>
          <dt>证件类型</dt>
          <dd data-testid="patient-cert-type">{CERT_TYPE_LABELS[patient.certType]}</dd>
        </div>
        <div>
          <dt>证件号码</dt>
          <dd className="code code--large" data-testid="patient-cert-no">
            {patient.certNoMasked}
          </dd>
        </div>
        <div>
          <dt>人员编号</dt>
          <dd className="code">{patient.psnNo}</dd>
        </div>
        <div>
          <dt>出生日期</dt>
          <dd className="tabular">{patient.birthDate}</dd>
        </div>
      </dl>
      <div className="patient-card__insurances">
        {patient.insurances.length === 0 ? (
          <p className="patient-card__none" data-testid="patient-uninsured">
            {patient.uninsured ? '未参保（就诊卡识别）— 只能自费结算（F8）' : '医保中心未返回有效参保信息'}
          </p>
        ) : (
          patient.insurances.map((insurance) => (
            <InsuranceSummary
              key={`${insurance.insutype}-${insurance.insuredRegion}`}
              insurance={insurance}
              crossRegion={patient.crossRegion}
            />
          ))
        )}
      </div>
      <footer className="patient-card__footer">
        <span>
          <Kbd>Esc</Kbd> 清除，接待下一位患者
        </span>
        <span className="tabular">{formatTime(patient.identifiedAt)} 读取</span>
      </footer>
    </article>
  );
}
