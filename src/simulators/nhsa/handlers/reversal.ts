/**
 * 2601 冲正: undo the transaction a msgid names, exactly as its own cancel would — a registration or admission
 * closed, a discharge reopened, a settlement given a negative twin, a cancelled settlement put back in force.
 *
 * Idempotent: a second reversal of the same msgid answers the same success and changes nothing. A msgid the
 * centre never accepted answers "原交易不存在" — which tells the station the original never happened.
 */
import { z } from 'zod';
import type { InsuredPerson } from '../population';
import {
  code,
  fail,
  isAnswer,
  ok,
  parse,
  personFor,
  displayTime,
  type Answer,
  type CentreRequest,
  type CentreState,
  type Handler,
} from './common';
import { closeAdmission, reopenAdmission } from './inpatient';
import { closeRegistration } from './outpatient';
import { cancelSettlement, reinstateSettlement } from './settlement';

export const NO_SUCH_ORIGINAL = '原交易不存在';

type Undo = (state: CentreState, req: CentreRequest, omsgid: string, person: InsuredPerson) => Answer | undefined;

const notYours = (psnNo: string, person: InsuredPerson) => (psnNo === person.psnNo ? undefined : fail('人员编号与原交易不符'));

const undoVisitOpening =
  (close: (state: CentreState, visit: NonNullable<ReturnType<CentreState['records']['visit']>>) => Answer | undefined): Undo =>
  (state, _req, omsgid, person) => {
    const visit = state.records.visitOpenedBy(omsgid);
    if (!visit) return fail(NO_SUCH_ORIGINAL);
    return notYours(visit.psn_no, person) ?? close(state, visit);
  };

const undoDischarge: Undo = (state, _req, omsgid, person) => {
  const visit = state.records.visitDischargedBy(omsgid);
  if (!visit) return fail('原出院办理已撤销');
  return notYours(visit.psn_no, person) ?? reopenAdmission(state, visit);
};

const undoSettlement: Undo = (state, req, omsgid, person) => {
  const entry = state.records.entryCreatedBy(omsgid);
  if (!entry) return fail(NO_SUCH_ORIGINAL);
  const problem = notYours(entry.psn_no, person);
  if (problem) return problem;
  const twin = cancelSettlement(state, req, entry, person);
  return isAnswer(twin) ? twin : undefined;
};

const undoSettlementCancel: Undo = (state, req, omsgid, person) => {
  const twin = state.records.entryCreatedBy(omsgid);
  if (!twin) return fail(NO_SUCH_ORIGINAL);
  const problem = notYours(twin.psn_no, person);
  if (problem) return problem;
  const counter = reinstateSettlement(state, req, twin, person);
  return isAnswer(counter) ? counter : undefined;
};

const UNDO: Record<string, Undo> = {
  '2201': undoVisitOpening(closeRegistration),
  '2401': undoVisitOpening(closeAdmission),
  '2402': undoDischarge,
  '2207': undoSettlement,
  '2304': undoSettlement,
  '2208': undoSettlementCancel,
  '2305': undoSettlementCancel,
};

/** What the simulated centre can reverse; its `reversible` option may narrow it (a province allowing less). */
export const REVERSIBLE_BY_CENTRE: readonly string[] = Object.keys(UNDO);

const Reversal = z.object({ data: z.object({ psn_no: code, omsgid: code, oinfno: code }) });

const reverse: Handler = (req, state) => {
  const parsed = parse(Reversal, req.input);
  if (!parsed.ok) return parsed.answer;
  const { psn_no, omsgid, oinfno } = parsed.data.data;
  const undo = UNDO[oinfno];
  if (!undo || !state.reversible.has(oinfno)) return fail(`交易${oinfno}不支持冲正`);

  const earlier = state.records.reversalOf(omsgid);
  if (earlier) {
    if (earlier.oinfno !== oinfno || earlier.psn_no !== psn_no) return fail('冲正信息与该报文的冲正记录不符');
    return ok(null);
  }
  const original = state.ledger.findMessage(omsgid);
  if (!original || original.fixmedins_code !== req.fixmedinsCode) return fail(NO_SUCH_ORIGINAL);
  if (original.infno !== oinfno) return fail('原交易编号与原报文不符');
  if (original.infcode !== 0) return fail('原交易未成功，无需冲正');
  const person = personFor(req, psn_no);
  if (isAnswer(person)) return person;

  const problem = undo(state, req, omsgid, person);
  if (problem) return problem;
  state.records.recordReversal({ omsgid, oinfno, psn_no, msgid: req.msgid, reversed_at: displayTime(req) });
  return ok(null);
};

export const REVERSAL_HANDLERS: Record<string, Handler> = { '2601': reverse };
