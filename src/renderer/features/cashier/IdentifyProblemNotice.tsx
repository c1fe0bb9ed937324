import { Alert } from 'antd';
import { ErrorNotice } from '../../common/ErrorNotice';
import { SCAN_BOX_NOISE_TEXT, SCAN_TEXT } from '../../common/error-text';
import type { IdentifyProblem } from './use-identify';

export function IdentifyProblemNotice({ problem }: { problem: IdentifyProblem }) {
  if (problem.kind === 'failed') return <ErrorNotice error={problem.error} testId="identify-error" />;
  if (problem.kind === 'scan-noise') {
    return (
      <Alert
        type="warning"
        showIcon
        role="alert"
        title={SCAN_BOX_NOISE_TEXT.title}
        description={SCAN_BOX_NOISE_TEXT.next}
        data-testid="scan-noise"
      />
    );
  }
  const text = SCAN_TEXT[problem.scanKind === 'nhsa-ec' || problem.scanKind === 'hospital-card' ? 'unknown' : problem.scanKind];
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      title={text.title}
      description={text.next}
      data-testid="scan-notice"
      data-kind={problem.scanKind}
    />
  );
}
