import type { IntentRecord } from './intents-repo';
import type { IntentContext, Movement } from './movement';

/** Paths and messages only: payloads hold personal data and credentials (a payment code). */
export function payloadProblem(movement: Movement, payload: unknown): string | null {
  const r = movement.payload.safeParse(payload);
  return r.success ? null : r.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
}

export function contextOf(intent: IntentRecord): IntentContext<unknown> {
  return {
    id: intent.id,
    orderId: intent.orderId,
    externalId: intent.externalId,
    compExternalId: intent.compExternalId,
    payload: intent.payload,
  };
}
