import type { DeviceRole } from '../../../shared/domain';
import { ErrorNotice } from '../../common/ErrorNotice';
import { formatTime } from '../../common/format';
import { Notice, Spinner } from '../../ui';
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
          <Spinner />
          <span className="device-test__prompt">{TEST_PROMPTS[role]}</span>
          <progress
            className="device-test__progress"
            max={DEVICE_TEST_TIMEOUT_MS / 1000}
            value={DEVICE_TEST_TIMEOUT_MS / 1000 - left}
            aria-label={`测试剩余 ${left} 秒`}
          />
          <span className="device-test__left">剩余 {left} 秒</span>
        </div>
      );
    }
    case 'done':
      return (
        <Notice
          tone={test.result.ok ? 'info' : 'warn'}
          title={test.result.ok ? '测试通过' : '测试未通过'}
          data-testid="device-test-result"
          data-ok={test.result.ok}
        >
          {test.result.detail}（{formatTime(test.result.at)}）
        </Notice>
      );
    case 'error':
      return <ErrorNotice error={test.error} testId="device-test-error" />;
  }
}
