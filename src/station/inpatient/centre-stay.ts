/**
 * What the centre holds of a stay, asked by queries whose answers carry an output the centre signs: 5201 for the
 * stay's state (admitted, discharged, cancelled: its memo), 5204 for its fee lines (a discharge settlement binds
 * every line it covers to its setl_id). They confirm what an answer without signed content (2402's empty "ok", any
 * refusal, a 2601) claims, as the outpatient saga's queries do.
 */
import { queryFeeDetails, queryVisits } from '../../insurance/nhsa';
import type { CancelState, VisitRef, VisitSettlement } from '../movements';
import type { CentrePort } from '../ports';

const DAY_MS = 86_400_000;
/** How far back a stay is looked for: stays run for weeks, some for months. */
const LOOK_BACK_DAYS = 366;
const beijing = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

/** 5201: the stay's state at the centre (its memo: admitted, discharged, cancelled), or unknown. */
export async function stayAtCentre(
  gateway: CentrePort,
  visit: VisitRef,
  now: Date,
): Promise<{ kind: 'found'; state: string; deptName: string; diagCode: string } | { kind: 'unknown'; detail: string }> {
  const o = await gateway.perform(
    '5201',
    visit.operator,
    (client, ctx) =>
      queryVisits(client, ctx, {
        psn_no: visit.psnNo,
        begntime: beijing(now.getTime() - LOOK_BACK_DAYS * DAY_MS),
        endtime: beijing(now.getTime() + DAY_MS),
        mdtrt_id: visit.mdtrtId,
      }),
    { insuredRegion: visit.insuredRegion },
  );
  if (o.kind === 'rejected') return { kind: 'unknown', detail: `5201 refused: ${o.errMsg || o.infcode}` };
  if (o.kind === 'unknown') return { kind: 'unknown', detail: `5201 ${o.reason}: ${o.detail}` };
  const stay = o.output.find((v) => v.mdtrt_id === visit.mdtrtId);
  return stay
    ? { kind: 'found', state: stay.memo, deptName: stay.adm_dept_name, diagCode: stay.dise_codg }
    : { kind: 'unknown', detail: '5201 does not list the stay' };
}

/** A 2402 is done once 5201 shows the stay discharged. */
export async function dischargeDone(gateway: CentrePort, visit: VisitRef, now: Date): Promise<CancelState<undefined>> {
  const found = await stayAtCentre(gateway, visit, now);
  if (found.kind === 'unknown') return found;
  return found.state === 'discharged' ? { kind: 'done', output: undefined } : { kind: 'not-done' };
}

/** A 2403 is done once 5201 shows the stay's new department and diagnosis (the centre's 5201 shows no bed). */
export async function admissionChangeDone(
  gateway: CentrePort,
  visit: VisitRef & { deptName: string; diagCode: string },
  now: Date,
): Promise<CancelState<undefined>> {
  const found = await stayAtCentre(gateway, visit, now);
  if (found.kind === 'unknown') return found;
  const shown = found.deptName === visit.deptName && found.diagCode === visit.diagCode;
  return shown ? { kind: 'done', output: undefined } : { kind: 'not-done' };
}

/**
 * 5204: a discharge settlement (2304, mid_setl_flag 0) binds every unsettled line, so the stay is settled once no
 * active line is left unbound — and not settled while any is. A mid-stay one binds the lines up to its last
 * (`uptoLine`, HIS's line number ending the feedetl_sn): the lines uploaded after it stay unbound either way.
 */
export async function staySettlement(gateway: CentrePort, visit: VisitRef, uptoLine?: number): Promise<VisitSettlement> {
  const o = await gateway.perform(
    '5204',
    visit.operator,
    (client, ctx) => queryFeeDetails(client, ctx, { psn_no: visit.psnNo, mdtrt_id: visit.mdtrtId, setl_id: '' }),
    { insuredRegion: visit.insuredRegion },
  );
  if (o.kind === 'rejected') return { kind: 'unknown', detail: `5204 refused: ${o.errMsg || o.infcode}` };
  if (o.kind === 'unknown') return { kind: 'unknown', detail: `5204 ${o.reason}: ${o.detail}` };
  const covered = o.output.filter((line) => uptoLine === undefined || Number(line.feedetl_sn.split('-').at(-1)) <= uptoLine);
  if (covered.length === 0) return { kind: 'unknown', detail: '5204 lists no fee line of the stay' };
  return covered.every((line) => line.setl_id !== '') ? { kind: 'settled' } : { kind: 'not-settled' };
}
