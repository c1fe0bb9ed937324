import { ErrorNotice } from '../../common/ErrorNotice';
import { SCAN_BOX_NOISE_TEXT, SCAN_TEXT } from '../../common/error-text';
import { Notice } from '../../ui';
import type { IdentifyProblem } from './use-identify';

export function IdentifyProblemNotice({ problem }: { problem: IdentifyProblem }) {
  if (problem.kind === 'failed') return <ErrorNotice error={problem.error} testId="identify-error" />;
  if (problem.kind === 'scan-noise') {
    return (
      <Notice tone="warn" title={SCAN_BOX_NOISE_TEXT.title} data-testid="scan-noise">
        {SCAN_BOX_NOISE_TEXT.next}
      </Notice>
    );
  }
  const text = SCAN_TEXT[problem.scanKind === 'nhsa-ec' || problem.scanKind === 'hospital-card' ? 'unknown' : problem.scanKind];
  return (
    <Notice tone="warn" title={text.title} data-testid="scan-notice" data-kind={problem.scanKind}>
      {text.next}
    </Notice>
  );
}
