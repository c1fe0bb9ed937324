/**
 * The centre for the saga kit: answers scripted per infno, and books that follow what the centre did — so its
 * queries (5201 visits, 5204 fee lines) answer from what it holds, as a real centre would, instead of a script
 * per test. What a transaction did is its answer's by default (an "ok" acted, a refusal or a lost answer did
 * not); `did()` / `didNot()` script an answer that says otherwise (a forgery, an answer lost after acting).
 */
import type { OperatorView } from '../../../shared/domain';
import { DEFAULT_REVERSIBLE_INFNOS, type CallContext, type NhsaClient, type NhsaOutcome } from '../../../insurance/nhsa';
import type { CentrePort } from '../../ports';

type Answer<T> = NhsaOutcome<T> | (() => NhsaOutcome<T>);
/** A scripted answer and whether the centre carried the transaction out behind it. */
export interface Scripted<T> {
  answer: Answer<T>;
  acted: boolean;
}
type Script = Answer<unknown> | Scripted<unknown>;

/** The centre carried it out, whatever the answer says (a refusal forged over it, an answer lost after it). */
export const did = <T>(answer: Answer<T>): Scripted<T> => ({ answer, acted: true });
/** The centre never carried it out, whatever the answer says (an "ok" forged while the request never arrived). */
export const didNot = <T>(answer: Answer<T>): Scripted<T> => ({ answer, acted: false });

interface Visit {
  mdtrt_id: string;
  psn_no: string;
  ipt_otp_no: string;
  begntime: string;
  cancelled: boolean;
}
interface FeeLine {
  mdtrt_id: string;
  feedetl_sn: string;
  chrg_bchno: string;
  setl_id: string;
  active: boolean;
}
type Wire = Record<string, unknown> & { data?: Record<string, string>; feedetail?: Record<string, string>[] };

const INSTITUTION = { code: 'H35020000001', name: '测试医院', admdvs: '350200' };

/** What a transaction sends, taken by running it against a client that only records (nothing is answered). */
async function wireOf(call: unknown, ctx: CallContext, reversible: ReadonlySet<string>): Promise<Wire> {
  let wire: Wire = {};
  const recorder = {
    institution: INSTITUTION,
    canReverse: (infno: string) => reversible.has(infno),
    call: async (_infno: string, input: Wire) => {
      wire = input;
      return { kind: 'unknown', reason: 'network', detail: 'recorded only', msgid: 'R' };
    },
  } as unknown as NhsaClient;
  await (call as (client: NhsaClient, ctx: CallContext) => Promise<unknown>)(recorder, ctx);
  return wire;
}

export class FakeCentre implements CentrePort {
  readonly calls: { infno: string; msgid: string | undefined; wire: Wire; acted: boolean }[] = [];
  readonly visits: Visit[] = [];
  readonly feeLines: FeeLine[] = [];
  /** What 2601 may reverse here, as the client's configuration says (NotReversibleError before anything is sent). */
  reversible: ReadonlySet<string> = new Set(DEFAULT_REVERSIBLE_INFNOS);
  private readonly answers = new Map<string, Script[]>();

  answer(infno: string, ...outcomes: Script[]): this {
    this.answers.set(infno, [...(this.answers.get(infno) ?? []), ...outcomes]);
    return this;
  }

  /** Replaces what a transaction answers from now on. */
  reanswer(infno: string, ...outcomes: Script[]): this {
    this.answers.set(infno, outcomes);
    return this;
  }

  async perform<T>(infno: string, operator: OperatorView, call: unknown, opts: { msgid?: string } = {}): Promise<NhsaOutcome<T>> {
    const ctx: CallContext = {
      operator: { opter: operator.id, opterName: operator.name, opterType: '1' },
      ...(opts.msgid ? { msgid: opts.msgid } : {}),
    };
    const wire = await wireOf(call, ctx, this.reversible);
    const script = this.next(infno, wire);
    const answer = typeof script.answer === 'function' ? script.answer() : script.answer;
    const acted = script.acted ?? answer.kind === 'ok';
    this.calls.push({ infno, msgid: opts.msgid, wire, acted });
    if (acted) this.act(infno, wire, answer);
    return answer as NhsaOutcome<T>;
  }

  infnos(): string[] {
    return this.calls.map((c) => c.infno);
  }

  /** The calls that change something, without the queries (5xxx) that confirm them. */
  moves(): string[] {
    return this.infnos().filter((infno) => !infno.startsWith('5'));
  }

  /** The scripted answer (the last one repeats); the queries 5201 and 5204 answer from the books unless scripted. */
  private next(infno: string, wire: Wire): { answer: Answer<unknown>; acted?: boolean } {
    const queue = this.answers.get(infno);
    if (!queue?.length) {
      if (infno === '5201') return { answer: ok(this.visitsOf(wire.data!)) };
      if (infno === '5204') return { answer: ok(this.activeLines(wire.data!.mdtrt_id!)) };
      throw new Error(`the fake centre has no answer for ${infno}`);
    }
    const next = queue.length > 1 ? queue.shift()! : queue[0]!;
    return typeof next === 'object' && 'acted' in next ? next : { answer: next };
  }

  private visitsOf(q: Record<string, string>) {
    return this.visits
      .filter((v) => v.psn_no === q.psn_no && (!q.mdtrt_id || v.mdtrt_id === q.mdtrt_id))
      .map(({ cancelled, ...v }) => ({ ...v, memo: cancelled ? 'cancelled' : 'open' }));
  }

  private activeLines(mdtrtId: string) {
    return this.feeLines
      .filter((l) => l.active && l.mdtrt_id === mdtrtId)
      .map((l) => ({ mdtrt_id: l.mdtrt_id, setl_id: l.setl_id, feedetl_sn: l.feedetl_sn }));
  }

  /** What the transaction changed at the centre. */
  private act(infno: string, wire: Wire, answer: NhsaOutcome<unknown>): void {
    const data = wire.data ?? {};
    const output = (answer.kind === 'ok' ? answer.output : {}) as { mdtrt_id?: string; setlinfo?: { setl_id?: string } };
    if (infno === '2201') {
      const mdtrtId = output.mdtrt_id ?? `MDTRT${this.visits.length + 1}`;
      this.visits.push({
        mdtrt_id: mdtrtId,
        psn_no: data.psn_no!,
        ipt_otp_no: data.ipt_otp_no!,
        begntime: data.begntime!,
        cancelled: false,
      });
    } else if (infno === '2202') this.closeVisit((v) => v.mdtrt_id === data.mdtrt_id);
    else if (infno === '2204') {
      for (const l of wire.feedetail ?? [])
        this.feeLines.push({ mdtrt_id: l.mdtrt_id!, feedetl_sn: l.feedetl_sn!, chrg_bchno: l.chrg_bchno!, setl_id: '', active: true });
    } else if (infno === '2205') {
      for (const l of this.feeLines) if (l.mdtrt_id === data.mdtrt_id && l.chrg_bchno === data.chrg_bchno) l.active = false;
    } else if (infno === '2207') {
      const setlId = output.setlinfo?.setl_id ?? 'SETL1';
      for (const l of this.feeLines) if (l.active && l.mdtrt_id === data.mdtrt_id) l.setl_id = setlId;
    } else if (infno === '2208') this.unbind((l) => l.setl_id === data.setl_id);
    else if (infno === '2601') this.reverse(data.omsgid!);
  }

  /** 2601: undone as its own cancel would undo it (2201 → the visit closed, 2207 → the settlement's lines freed). */
  private reverse(omsgid: string): void {
    const original = this.calls.find((c) => c.msgid === omsgid && c.acted);
    if (!original) return;
    const data = original.wire.data ?? {};
    if (original.infno === '2201') this.closeVisit((v) => v.ipt_otp_no === data.ipt_otp_no);
    if (original.infno === '2207') this.unbind((l) => l.mdtrt_id === data.mdtrt_id);
  }

  private closeVisit(which: (v: Visit) => boolean): void {
    for (const v of this.visits) if (which(v)) v.cancelled = true;
  }

  private unbind(which: (l: FeeLine) => boolean): void {
    for (const l of this.feeLines) if (l.active && which(l)) l.setl_id = '';
  }
}

export const ok = <T>(output: T): NhsaOutcome<T> => ({ kind: 'ok', output, msgid: 'M', infcode: 0 }) as unknown as NhsaOutcome<T>;
export const refused = (errMsg: string): NhsaOutcome<never> =>
  ({ kind: 'rejected', infcode: -1, errMsg, msgid: 'M' }) as unknown as NhsaOutcome<never>;
export const lost = (): NhsaOutcome<never> =>
  ({ kind: 'unknown', reason: 'timeout', detail: 'no answer', msgid: 'M' }) as unknown as NhsaOutcome<never>;
