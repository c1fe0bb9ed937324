/** Tests' settlements made at the centre simulator, and the ledger events a station publishes for them. */
import type { Settlement } from '../../src/insurance/nhsa';
import { systemClock } from '../../src/station/clock';
import { LEDGER_EVENT_VERSION, type LedgerEvent } from '../../src/station/hospital-ledger';
import { MOVEMENT_KINDS } from '../../src/station/movements';
import type { SettlementPayload } from '../../src/station/outpatient/movements';
import { POPULATION } from '../../src/simulators/nhsa';
import { INSTITUTION, OPERATOR, readyToSettle, type SettlementRig } from '../../src/station/outpatient/testing/settlement-rig';

export interface SettledAtCentre {
  payload: SettlementPayload;
  settlement: Settlement;
}

/** The centre's population insured, and active, in the hospital's own region. */
export const insured = () =>
  POPULATION.filter((p) => p.insurances[0]?.insuplcAdmdvs === INSTITUTION.admdvs && p.insurances[0]?.psnInsuStas === '1');

let seq = 0;

/** One settlement made at the centre (2201 → 2204 → 2206 → 2207), with what the station sent. */
export async function settleOne(rig: SettlementRig, person: { idNo: string }): Promise<SettledAtCentre> {
  const payload = await readyToSettle(rig, person);
  const r = await rig.outbox.run<SettlementPayload, Settlement>(MOVEMENT_KINDS.settlement, {
    orderId: `o${++seq}`,
    externalId: rig.msgids.next(systemClock().now()),
    payload,
  });
  if (r.state !== 'succeeded') throw new Error(JSON.stringify(r));
  return { payload, settlement: r.output };
}

/** The ledger event a station publishes for a settlement (or, negated, its cancel), finished at `at`. */
export function settlementEvent(
  s: SettledAtCentre,
  kind: 'settlement' | 'settlement-cancel',
  stationId = 'W01',
  at = new Date(),
): LedgerEvent {
  const i = s.settlement.setlinfo;
  const sign = kind === 'settlement' ? 1 : -1;
  return {
    v: LEDGER_EVENT_VERSION,
    stationId,
    eventId: `${kind}-${i.setl_id}`,
    seq: ++seq,
    kind,
    movement: kind === 'settlement' ? 'nhsa.2207' : 'nhsa.2208',
    outcome: 'succeeded',
    orderId: `order-${i.setl_id}`,
    hisOrderNo: null,
    operatorId: OPERATOR.id,
    actor: 'station',
    at: at.toISOString(),
    channel: 'nhsa',
    amounts: { total: sign * i.medfee_sumamt, fund: sign * i.fund_pay_sumamt, account: sign * i.acct_pay, cash: sign * i.psn_cash_pay },
    ids: { setlId: i.setl_id, mdtrtId: i.mdtrt_id },
    insurance: { insutype: s.payload.input.insutype, region: s.payload.insuredRegion, clrType: '11', psnNo: s.payload.input.psn_no },
  };
}
