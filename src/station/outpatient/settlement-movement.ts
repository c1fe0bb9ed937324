/**
 * NHSA outpatient settlement (2207) as an outbox movement. A lost 2207 answer cannot be asked about — 5203 needs
 * the setl_id the lost answer carried — so it is reversed (冲正) by 2601 naming the 2207's msgid, with a msgid of
 * its own fixed before it is sent; the order may then be settled again under a new msgid. Never a blind retry.
 */
import type { OperatorView } from '../../shared/domain';
import { reverseTransaction, settleOutpatient, type Settlement, type SettlementInput } from '../../insurance/nhsa';
import type { NhsaGateway } from '../insurance/nhsa-gateway';
import type { Db } from '../store/database';
import type { CompensationOutcome, FinalState, IntentContext, Movement, RemoteOutcome } from '../outbox/movement';

export const SETTLEMENT_KIND = 'nhsa.2207';

export interface SettlementPayload {
  operator: OperatorView;
  insuredRegion: string;
  input: SettlementInput;
}

/** How the centre words "that msgid is unknown to me" for a reversal; province wording varies (configuration). */
const NOTHING_TO_REVERSE = /原交易不存在|原交易未找到|无此交易/;

export function outpatientSettlementMovement(deps: {
  gateway: NhsaGateway;
  newMsgid: () => string;
  onFinal: (db: Db, intent: IntentContext<SettlementPayload>, final: FinalState, output: Settlement | undefined) => void;
}): Movement<SettlementPayload, Settlement> {
  return {
    kind: SETTLEMENT_KIND,
    onUnknown: 'compensate',
    async send(intent): Promise<RemoteOutcome<Settlement>> {
      const { operator, insuredRegion, input } = intent.payload;
      const outcome = await deps.gateway.perform(
        '2207',
        operator,
        (client, ctx) => settleOutpatient(client, ctx, input),
        { insuredRegion, msgid: intent.externalId },
      );
      if (outcome.kind === 'ok') return { kind: 'ok', output: outcome.output };
      if (outcome.kind === 'rejected') return { kind: 'rejected', detail: outcome.errMsg || `infcode ${outcome.infcode}` };
      return { kind: 'unknown', detail: `${outcome.reason}: ${outcome.detail}` };
    },
    async compensate(intent): Promise<CompensationOutcome> {
      const { operator, insuredRegion, input } = intent.payload;
      const outcome = await deps.gateway.perform(
        '2601',
        operator,
        (client, ctx) => reverseTransaction(client, ctx, { psn_no: input.psn_no, omsgid: intent.externalId, oinfno: '2207' }),
        { insuredRegion, msgid: intent.compExternalId },
      );
      if (outcome.kind === 'ok') return { kind: 'ok' };
      if (outcome.kind === 'rejected') {
        return NOTHING_TO_REVERSE.test(outcome.errMsg) ? { kind: 'nothing-to-undo' } : { kind: 'rejected', detail: outcome.errMsg };
      }
      return { kind: 'unknown', detail: `${outcome.reason}: ${outcome.detail}` };
    },
    newCompensationId: deps.newMsgid,
    settle: deps.onFinal,
  };
}
