/** The admin list's operations on one intent: look at it, send it back to the resolver, or decide it by hand. */
import { StationError } from '../../shared/result';
import type { IntentsRepo } from './intents-repo';
import { toIntentView } from './intent-view';
import type { Outbox } from './outbox';

export function intentHandlers(outbox: Outbox, intents: IntentsRepo) {
  const intentView = (id: string) => {
    const intent = intents.get(id);
    if (!intent) throw new StationError('NOT_FOUND', '没有这笔交易');
    return toIntentView(intent);
  };
  /** A refusal of the outbox (the intent is not where the action applies) in the operator's words. */
  const acting = (what: string, act: () => void, id: string) => {
    try {
      act();
    } catch (e) {
      throw new StationError('CONFLICT', `${what}：${e instanceof Error ? e.message : String(e)}`);
    }
    return intentView(id);
  };
  return {
    retryIntent: (_ctx: unknown, args: { intentId: string }) =>
      acting('这笔交易不在自动核实中', () => outbox.retry(args.intentId), args.intentId),
    decideIntent: (operatorId: string, args: { intentId: string; decision: 'happened' | 'did-not-happen' | 'resume'; note: string }) =>
      acting('这笔交易不在待人工处理状态', () => outbox.decide(args.intentId, args.decision, operatorId, args.note), args.intentId),
  };
}
