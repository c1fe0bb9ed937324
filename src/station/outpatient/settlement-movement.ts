/**
 * NHSA outpatient settlement (2207) as an outbox movement. A lost 2207 answer cannot be asked about — 5203 needs
 * the setl_id the lost answer carried — so it is reversed (冲正) by 2601 naming the 2207's msgid, with a msgid of
 * its own fixed before it is sent; the order may then be settled again under a new msgid. Never a blind retry.
 */
import type { OperatorView } from '../../shared/domain';
import { settleOutpatient, type Settlement, type SettlementInput } from '../../insurance/nhsa';
import { fromNhsa, reverseByMsgid } from './movements';
import type { NhsaGateway } from '../insurance/nhsa-gateway';
import type { Db } from '../store/database';
import type { FinalState, IntentContext, Movement, RemoteOutcome } from '../outbox/movement';

export const SETTLEMENT_KIND = 'nhsa.2207';

export interface SettlementPayload {
  operator: OperatorView;
  insuredRegion: string;
  input: SettlementInput;
}

export function outpatientSettlementMovement(deps: {
  gateway: NhsaGateway;
  newMsgid: () => string;
  onFinal: (db: Db, intent: IntentContext<SettlementPayload>, final: FinalState, output: Settlement | undefined) => void;
}): Movement<SettlementPayload, Settlement> {
  const reverse = reverseByMsgid(deps.gateway, '2207');
  return {
    kind: SETTLEMENT_KIND,
    onUnknown: 'compensate',
    async send(intent): Promise<RemoteOutcome<Settlement>> {
      const { operator, insuredRegion, input } = intent.payload;
      return fromNhsa(
        await deps.gateway.perform('2207', operator, (client, ctx) => settleOutpatient(client, ctx, input), {
          insuredRegion,
          msgid: intent.externalId,
        }),
      );
    },
    // The same 2601 as for a lost 2201, naming the 2207's msgid.
    compensate: (intent) => reverse({ ...intent, payload: { ...intent.payload, psnNo: intent.payload.input.psn_no } }),
    newCompensationId: deps.newMsgid,
    settle: deps.onFinal,
  };
}
