import type { InsuranceView } from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';
import { Tag } from '../../ui';
import { insuredStatus, insutypeLabel } from './patient-labels';

export function InsuranceSummary({ insurance, crossRegion }: { insurance: InsuranceView; crossRegion: boolean }) {
  const status = insuredStatus(insurance.status);
  return (
    <section className="insurance" data-testid="patient-insurance">
      <div className="insurance__facts">
        <h3 className="insurance__type">
          <span data-testid="patient-insutype">{insutypeLabel(insurance)}</span>
          <Tag tone={status.tone} data-testid="patient-insured-status">
            {status.label}
          </Tag>
        </h3>
        <dl className="facts facts--compact">
          <div>
            <dt>参保地</dt>
            <dd data-testid="patient-region">
              {insurance.insuredRegionName} <span className="code">{insurance.insuredRegion}</span>
              {crossRegion && (
                <Tag tone="warn" className="insurance__cross">
                  异地
                </Tag>
              )}
            </dd>
          </div>
          <div>
            <dt>单位</dt>
            <dd>{insurance.employer || '—'}</dd>
          </div>
        </dl>
      </div>
      <div className="insurance__balance">
        <span className="insurance__balance-label">个人账户余额</span>
        <span className="insurance__balance-amount tabular" data-testid="patient-balance">
          {formatYuan(insurance.balanceFen)}
        </span>
      </div>
    </section>
  );
}
