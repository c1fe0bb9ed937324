/**
 * A saga's next-step table: for a business row in a given state, after a given movement finished, which step
 * comes next. One table per saga (outpatient today, inpatient next), read the same way by the step that follows a
 * movement the resolver finished and by recovery at start and on every sweep — so "what happens next" is said
 * once, as data, and tested as data.
 */

/** One rule. `after: 'any'` matches every kind; omitted `final` matches every final state. */
export interface NextStepRule<State extends string, Step extends string> {
  after: readonly string[] | 'any';
  final?: readonly ('succeeded' | 'failed' | 'compensated')[];
  states: readonly State[];
  step: Step;
}

export type NextStepTable<State extends string, Step extends string> = readonly NextStepRule<State, Step>[];

/** The first rule that matches, or null: nothing is owed (the row waits for a person, a patient or a movement). */
export function nextStep<State extends string, Step extends string>(
  table: NextStepTable<State, Step>,
  last: { kind: string; final: 'succeeded' | 'failed' | 'compensated' },
  state: State,
): Step | null {
  for (const rule of table) {
    if (rule.after !== 'any' && !rule.after.includes(last.kind)) continue;
    if (rule.final && !rule.final.includes(last.final)) continue;
    if (!rule.states.includes(state)) continue;
    return rule.step;
  }
  return null;
}

/** The states a table can act on: recovery looks only at rows in these. */
export function actionableStates<State extends string, Step extends string>(table: NextStepTable<State, Step>): State[] {
  return [...new Set(table.flatMap((r) => r.states))];
}
