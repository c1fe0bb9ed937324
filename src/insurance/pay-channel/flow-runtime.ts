/**
 * Runs a resumable payment flow: ask the flow for its next action, wait until it is due, persist, perform,
 * fold the answer in, persist again. The flows themselves are pure (state + answer + now -> state), so the
 * station's outbox can store a state, stop at any point — crash, shutdown — and resume it with this loop or
 * drive the steps itself.
 */
export interface FlowRuntime<S> {
  now(): number;
  /** Resolves after `ms` (or earlier when `signal` aborts). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Persists the state; the flow continues only after it resolves. */
  save(state: S): void | Promise<void>;
  /** Stops the loop between steps; the last saved state resumes it. */
  signal?: AbortSignal;
}

export interface FlowDefinition<S, Step extends { dueAt: number }, Answer> {
  next(state: S): Step | undefined;
  /** A new state to save before the call leaves ("submitted": a crash from here on must not resend); the same object: nothing to save. */
  beforeSend?(state: S, step: Step, now: number): S;
  perform(state: S, step: Step): Promise<Answer>;
  advance(state: S, step: Step, answer: Answer, now: number): S;
}

export async function runFlow<S, Step extends { dueAt: number }, Answer>(
  flow: FlowDefinition<S, Step, Answer>,
  initial: S,
  runtime: FlowRuntime<S>,
): Promise<S> {
  let state = initial;
  for (;;) {
    const step = flow.next(state);
    if (!step) return state;
    const wait = step.dueAt - runtime.now();
    if (wait > 0) await runtime.sleep(wait, runtime.signal);
    if (runtime.signal?.aborted) return state;
    const before = flow.beforeSend?.(state, step, runtime.now()) ?? state;
    if (before !== state) {
      state = before;
      await runtime.save(state);
    }
    const answer = await flow.perform(state, step);
    state = flow.advance(state, step, answer, runtime.now());
    await runtime.save(state);
  }
}

/** setTimeout-based sleep that an AbortSignal cuts short. */
export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
