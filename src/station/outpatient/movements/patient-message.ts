/**
 * HX-27: the patient's message. The gateway sends each msg_id once, so a lost answer is sent again with the same
 * id; a message cannot be taken back, so "undo" is nothing — after its window it is simply not sent.
 */
import { z } from 'zod';
import type { PatientMessage } from '../../../insurance/messages';
import type { MessagePort } from '../../ports';
import { MOVEMENT_KINDS } from '../../movements';
import type { IntentContext, Movement, RemoteOutcome } from '../../outbox';
import type { OutpatientMovementDeps } from './deps';

/** The message as the gateway takes it; its own client checks the fields, this only guards a damaged row. */
const PatientMessageSchema = z.object({ msgId: z.string().min(1) }).passthrough();

export function patientMessageMovement(d: OutpatientMovementDeps, messages: MessagePort): Movement<PatientMessage, unknown> {
  const send = async (intent: IntentContext<PatientMessage>): Promise<RemoteOutcome<unknown>> => {
    const o = await messages.send(intent.payload);
    if (o.kind === 'ok') return { kind: 'ok', output: o.value };
    if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
    return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
  };
  return {
    kind: MOVEMENT_KINDS.push,
    payload: PatientMessageSchema,
    onUnknown: 'query',
    send,
    async query(intent) {
      const again = await send(intent);
      if (again.kind === 'ok') return { kind: 'happened', output: again.output };
      if (again.kind === 'rejected') return { kind: 'did-not-happen' };
      return { kind: 'unknown', detail: again.detail };
    },
    compensate: async () => ({ kind: 'nothing-to-undo' }),
    newCompensationId: () => d.ids.compensationId('MSG'),
    settle: (_db, intent, { final }) => d.orders.setPushState(intent.orderId, final === 'succeeded' ? 'sent' : 'none'),
  };
}
