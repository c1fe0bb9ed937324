import { SCAN_KIND_LABELS } from '../../../shared/domain';
import { ErrorNotice } from '../../common/ErrorNotice';
import { Notice } from '../../ui';
import type { IdentifyProblem } from './use-identify';

export function IdentifyProblemNotice({ problem }: { problem: IdentifyProblem }) {
  if (problem.kind === 'failed') return <ErrorNotice error={problem.error} testId="identify-error" />;
  return (
    <Notice
      tone="warn"
      title={`扫到的是${SCAN_KIND_LABELS[problem.scanKind]}，不是医保电子凭证`}
      data-testid="scan-notice"
      data-kind={problem.scanKind}
    >
      请患者在微信或支付宝中打开「医保电子凭证」后重新扫码
    </Notice>
  );
}
