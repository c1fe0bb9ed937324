/**
 * "Does the centre hold a settlement of this visit?", asked by 5204 (fee details of the visit): a settled fee line
 * carries its setl_id, a cancelled or reversed settlement unbinds it. Its answer has an output the centre signs,
 * unlike a refusal or an empty "ok" (the sm profile signs the output only, and an empty output's signature fits
 * any answer), so it is what confirms a refused 2207 or a 2601 before the order is reopened.
 */
import { queryFeeDetails } from '../../insurance/nhsa';
import type { OperatorView } from '../../shared/domain';
import type { CentrePort } from '../ports';

export type VisitSettlement = { kind: 'settled' } | { kind: 'not-settled' } | { kind: 'unknown'; detail: string };

export interface VisitRef {
  operator: OperatorView;
  insuredRegion: string;
  psnNo: string;
  mdtrtId: string;
}

export async function visitSettlement(gateway: CentrePort, visit: VisitRef): Promise<VisitSettlement> {
  const o = await gateway.perform(
    '5204',
    visit.operator,
    (client, ctx) => queryFeeDetails(client, ctx, { psn_no: visit.psnNo, mdtrt_id: visit.mdtrtId, setl_id: '' }),
    { insuredRegion: visit.insuredRegion },
  );
  if (o.kind === 'ok') return o.output.some((line) => line.setl_id !== '') ? { kind: 'settled' } : { kind: 'not-settled' };
  if (o.kind === 'rejected') return { kind: 'unknown', detail: `5204 refused: ${o.errMsg || o.infcode}` };
  return { kind: 'unknown', detail: `5204 ${o.reason}: ${o.detail}` };
}
