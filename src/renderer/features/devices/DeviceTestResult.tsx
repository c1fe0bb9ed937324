import type { DeviceRole } from '../../../shared/domain';
import { ErrorNotice } from '../../common/ErrorNotice';
import { formatTime } from '../../common/format';
import { Alert, Progress, Spin } from 'antd';
import { DEVICE_TEST_TIMEOUT_MS, secondsLeft, TEST_PROMPTS, type DeviceTestState } from './device-test-state';
import { useTicking } from './use-device-tests';

/** A device test in progress (what to do, time left) or its outcome. Announced to screen readers. */
export function DeviceTestResult({ role, test }: { role: DeviceRole; test: DeviceTestState }) {
  const now = useTicking(test.phase === 'running');
  switch (test.phase) {
    case 'idle':
      return null;
    case 'running': {
      const left = secondsLeft(test.startedAt, now);
      return (
        <div className="device-test device-test--running" role="status" data-testid="device-test-running">
          <Spin size="small" />
          <span className="device-test__prompt">{TEST_PROMPTS[role]}</span>
          <Progress
            className="device-test__progress"
            percent={Math.round((100 * (DEVICE_TEST_TIMEOUT_MS / 1000 - left)) / (DEVICE_TEST_TIMEOUT_MS / 1000))}
            showInfo={false}
            size="small"
            aria-label={`测试剩余 ${left} 秒`}
          />
          <span className="device-test__left">剩余 {left} 秒</span>
        </div>
      );
    }
    case 'done':
      return (
        <Alert
          type={test.result.ok ? 'success' : 'warning'}
          showIcon
          title={test.result.ok ? '测试通过' : '测试未通过'}
          description={`${test.result.detail}（${formatTime(test.result.at)}）`}
          data-testid="device-test-result"
          data-ok={test.result.ok}
        />
      );
    case 'error':
      return <ErrorNotice error={test.error} testId="device-test-error" />;
  }
}
