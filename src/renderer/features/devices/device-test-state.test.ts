import { describe, expect, it } from 'vitest';
import type { DeviceTestView } from '../../../shared/domain';
import { deviceTestReducer, finishedRuns, IDLE_TEST, secondsLeft } from './device-test-state';

const RESULT: DeviceTestView = { deviceId: 'scanbox-1', ok: true, detail: '读到就诊卡（10位）', at: '2026-03-02T08:00:00.000Z' };

describe('deviceTestReducer', () => {
  it('runs a test to its answer', () => {
    const running = deviceTestReducer(IDLE_TEST, { type: 'start', at: 1000 });
    expect(running).toEqual({ phase: 'running', run: 1, startedAt: 1000 });
    expect(deviceTestReducer(running, { type: 'answer', run: 1, answer: { ok: true, value: RESULT } })).toEqual({
      phase: 'done',
      run: 1,
      result: RESULT,
    });
    const error = { code: 'DEVICE_OFFLINE', message: 'scanbox-1 未连接' } as const;
    expect(deviceTestReducer(running, { type: 'answer', run: 1, answer: { ok: false, error } })).toEqual({ phase: 'error', run: 1, error });
  });

  it('ignores a second start while running, and the answer of an earlier run', () => {
    const running = deviceTestReducer(IDLE_TEST, { type: 'start', at: 1000 });
    expect(deviceTestReducer(running, { type: 'start', at: 2000 })).toBe(running);
    const done = deviceTestReducer(running, { type: 'answer', run: 1, answer: { ok: true, value: RESULT } });
    const again = deviceTestReducer(done, { type: 'start', at: 3000 });
    expect(again).toEqual({ phase: 'running', run: 2, startedAt: 3000 });
    expect(deviceTestReducer(again, { type: 'answer', run: 1, answer: { ok: true, value: RESULT } })).toBe(again);
  });
});

describe('finishedRuns', () => {
  it('counts a run once it has its answer', () => {
    const running = deviceTestReducer(IDLE_TEST, { type: 'start', at: 0 });
    expect([IDLE_TEST, running].map(finishedRuns)).toEqual([0, 0]);
    expect(finishedRuns(deviceTestReducer(running, { type: 'answer', run: 1, answer: { ok: true, value: RESULT } }))).toBe(1);
  });
});

describe('secondsLeft', () => {
  it('counts down the 15 s wait and stops at zero', () => {
    expect(secondsLeft(0, 0)).toBe(15);
    expect(secondsLeft(0, 14_001)).toBe(1);
    expect(secondsLeft(0, 20_000)).toBe(0);
  });
});
