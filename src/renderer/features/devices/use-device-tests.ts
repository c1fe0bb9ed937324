import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useStation } from '../../common/station-context';
import { deviceTestReducer, IDLE_TEST, type DeviceTestAction, type DeviceTestState } from './device-test-state';

type TestsByDevice = Readonly<Record<string, DeviceTestState>>;

function testsReducer(tests: TestsByDevice, { deviceId, action }: { deviceId: string; action: DeviceTestAction }): TestsByDevice {
  const current = tests[deviceId] ?? IDLE_TEST;
  const next = deviceTestReducer(current, action);
  return next === current ? tests : { ...tests, [deviceId]: next };
}

/**
 * The test of each device in the panel. A test keeps running when the admin looks at another device, and
 * its answer lands on the device it was for.
 */
export function useDeviceTests(): { testOf: (deviceId: string) => DeviceTestState; start: (deviceId: string) => void } {
  const api = useStation();
  const [tests, dispatch] = useReducer(testsReducer, {});
  const latest = useRef(tests);
  latest.current = tests;

  const start = useCallback(
    (deviceId: string) => {
      const current = latest.current[deviceId] ?? IDLE_TEST;
      if (current.phase === 'running') return;
      const run = current.run + 1;
      dispatch({ deviceId, action: { type: 'start', at: Date.now() } });
      void api.testDevice({ deviceId }).then((answer) => dispatch({ deviceId, action: { type: 'answer', run, answer } }));
    },
    [api],
  );
  const testOf = useCallback((deviceId: string) => tests[deviceId] ?? IDLE_TEST, [tests]);
  return { testOf, start };
}

/** The current time, ticking while `active` — for a countdown that must not keep a timer when idle. */
export function useTicking(active: boolean, intervalMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return now;
}
