/**
 * What the centre holds of a visit, asked by queries whose answers carry an output the centre signs (unlike a
 * refusal or an empty "ok", see settlement-state.ts): 5204 for the visit's active fee lines (none after a 2205),
 * 5201 for the person's visits (ours cancelled after a 2202, or, after a lost 2201, found by its HIS order number).
 */
import { queryFeeDetails, queryVisits } from '../../insurance/nhsa';
import type { CentrePort } from '../ports';
import type { VisitRef } from './settlement-state';

/** What a signed query shows of a cancel. `done` carries the output the cancel itself would have answered. */
export type CancelState<O> = { kind: 'done'; output: O } | { kind: 'not-done' } | { kind: 'unknown'; detail: string };

/** 5204: a 2205 is done once the visit has no active fee line left. */
export async function feeLinesCancelled(gateway: CentrePort, visit: VisitRef): Promise<CancelState<undefined>> {
  const o = await gateway.perform(
    '5204',
    visit.operator,
    (client, ctx) => queryFeeDetails(client, ctx, { psn_no: visit.psnNo, mdtrt_id: visit.mdtrtId, setl_id: '' }),
    { insuredRegion: visit.insuredRegion },
  );
  if (o.kind === 'ok') return o.output.length === 0 ? { kind: 'done', output: undefined } : { kind: 'not-done' };
  if (o.kind === 'rejected') return { kind: 'unknown', detail: `5204 refused: ${o.errMsg || o.infcode}` };
  return { kind: 'unknown', detail: `5204 ${o.reason}: ${o.detail}` };
}

const DAY_MS = 86_400_000;
/** How far back a registration is looked for: an outpatient visit is settled or undone within days. */
const LOOK_BACK_DAYS = 31;

/** yyyy-MM-dd HH:mm:ss in Beijing time, as the centre's query windows are written. */
const beijing = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

export type OpenVisit = { kind: 'open'; mdtrtId: string } | { kind: 'cancelled' } | { kind: 'none' } | { kind: 'unknown'; detail: string };

/** Which visit: by its mdtrt_id, or after a lost 2201 by the HIS order number and the begntime it was sent with. */
export type WhichVisit = { mdtrtId: string } | { iptOtpNo: string; begntime: string };

/**
 * 5201: the person's outpatient visit matching `which`: open, cancelled, or not listed. After a lost 2201 an open
 * visit of the order is ours to cancel; a cancelled one counts only if it began when ours did (the same order may
 * have been registered and undone in an earlier round).
 */
export async function openVisit(gateway: CentrePort, who: Omit<VisitRef, 'mdtrtId'>, which: WhichVisit, now: Date): Promise<OpenVisit> {
  const o = await gateway.perform(
    '5201',
    who.operator,
    (client, ctx) =>
      queryVisits(client, ctx, {
        psn_no: who.psnNo,
        begntime: beijing(now.getTime() - LOOK_BACK_DAYS * DAY_MS),
        endtime: beijing(now.getTime() + DAY_MS),
        ...('mdtrtId' in which ? { mdtrt_id: which.mdtrtId } : {}),
      }),
    { insuredRegion: who.insuredRegion },
  );
  if (o.kind === 'rejected') return { kind: 'unknown', detail: `5201 refused: ${o.errMsg || o.infcode}` };
  if (o.kind === 'unknown') return { kind: 'unknown', detail: `5201 ${o.reason}: ${o.detail}` };
  const ours = o.output.filter((v) => ('mdtrtId' in which ? v.mdtrt_id === which.mdtrtId : v.ipt_otp_no === which.iptOtpNo));
  const open = ours.find((v) => v.memo !== 'cancelled');
  if (open) return { kind: 'open', mdtrtId: open.mdtrt_id };
  const cancelled = ours.some((v) => 'mdtrtId' in which || v.begntime === which.begntime);
  return cancelled ? { kind: 'cancelled' } : { kind: 'none' };
}

/** 5201: a 2202 is done once the centre no longer lists the visit as open. */
export async function registrationCancelled(gateway: CentrePort, visit: VisitRef, now: Date): Promise<CancelState<undefined>> {
  const found = await openVisit(gateway, visit, { mdtrtId: visit.mdtrtId }, now);
  if (found.kind === 'unknown') return found;
  return found.kind === 'open' ? { kind: 'not-done' } : { kind: 'done', output: undefined };
}
