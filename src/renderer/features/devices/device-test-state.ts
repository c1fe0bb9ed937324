/**
 * One device's test in the IT panel, as a pure reducer: idle → running (the admin presents a code or card;
 * the station waits up to 15 s) → passed / failed / error (the call itself was refused, e.g. device offline).
 * A late answer of a test that was started again is ignored by its run number.
 */
import type { DeviceRole, DeviceTestView } from '../../../shared/domain';
import type { ApiError, Result } from '../../../shared/result';

/** How long the station waits for a test read (DEVICE_TEST_TIMEOUT_MS in the core). */
export const DEVICE_TEST_TIMEOUT_MS = 15_000;

export type DeviceTestState =
  | { phase: 'idle'; run: number }
  | { phase: 'running'; run: number; startedAt: number }
  | { phase: 'done'; run: number; result: DeviceTestView }
  | { phase: 'error'; run: number; error: ApiError };

export type DeviceTestAction = { type: 'start'; at: number } | { type: 'answer'; run: number; answer: Result<DeviceTestView> };

export const IDLE_TEST: DeviceTestState = { phase: 'idle', run: 0 };

export function deviceTestReducer(state: DeviceTestState, action: DeviceTestAction): DeviceTestState {
  switch (action.type) {
    case 'start':
      if (state.phase === 'running') return state; // one test at a time per device
      return { phase: 'running', run: state.run + 1, startedAt: action.at };
    case 'answer':
      if (state.phase !== 'running' || action.run !== state.run) return state;
      return action.answer.ok
        ? { phase: 'done', run: state.run, result: action.answer.value }
        : { phase: 'error', run: state.run, error: action.answer.error };
  }
}

/** Tests of this device that have ended: a change means new traces in the device's log. */
export function finishedRuns(state: DeviceTestState): number {
  return state.phase === 'running' ? state.run - 1 : state.run;
}

/** What the admin should do while the test runs. */
export const TEST_PROMPTS: Record<DeviceRole, string> = {
  'qr-scanner': '请在扫码墩上出示任意条码或二维码',
  'card-reader': '请将社保卡插入或放到读卡器上',
  'face-terminal': '正在与刷脸终端通信',
  'pos-terminal': '正在与银行卡终端通信',
};

/** Seconds left of the test's wait, for the progress bar; never below zero. */
export function secondsLeft(startedAt: number, now: number): number {
  return Math.max(0, Math.ceil((DEVICE_TEST_TIMEOUT_MS - (now - startedAt)) / 1000));
}
