/**
 * The steps of a discharge settlement's undo once the window chose it (AQ-17 / HM-07): HIS's cancel, the centre's
 * 2305, then 2405 when asked. The undo's record (who, why, back to the ward) is written before the first step, so an
 * undo a stop, a thrown error or a lost answer left between steps is carried on by itself — at start, after the
 * resolver finished a step, and on the resolver's idle pass — as the operator who asked it. Each step is taken from
 * the stay's state, so a step done is never sent again. A step the centre refused stops the undo for a person (its
 * reason in `stays settlements` and on the window's screen); only a person's new undo tries it again.
 */
import type { OperatorView } from '../../shared/domain';
import { StationError } from '../../shared/result';
import { SingleFlight } from '../../shared/single-flight';
import { MOVEMENT_KINDS } from '../movements';
import { OrderLockedError, type Outbox } from '../outbox';
import { wardSettleId, type DischargeCancelPayload, type HisWardCancelPayload, type InpatientSettlementCancelPayload } from './movements';
import type { StayRecord, StaysRepo } from './stays-repo';
import type { StayUndo } from './stay-undos-repo';

export interface UndoStepsDeps {
  stays: StaysRepo;
  outbox: Outbox;
  newMsgid: () => string;
  now: () => Date;
  log?: (message: string, error: unknown) => void;
  /** The audit of an undo the station carried on by itself: finished, or stopped for a person. */
  audit?: (entry: { operatorId: null; action: 'stay.undoSettlement'; outcome: 'ok' | 'failed'; detail: string }) => void;
  /** An undo asked (recorded): who asked it, for the red-flush of the stay's e-bill that follows it. */
  asked?: (stayId: string, operator: OperatorView) => void;
  /** The undo is over (the money's steps all taken, or refused): the stay's e-bill is seen to after it. */
  undone?: (stayId: string) => void;
  /** A carrying-on ended (done, stopped for a person, or left in doubt): the screens read the stay again. */
  changed?: (stayId: string) => void;
}

const UNDO_KINDS: ReadonlySet<string> = new Set([
  MOVEMENT_KINDS.hisWardSettleCancel,
  MOVEMENT_KINDS.inpatientSettlementCancel,
  MOVEMENT_KINDS.dischargeCancel,
]);

type Step = { kind: string; payload: unknown; what: string } | 'done' | 'stuck';

export class UndoSteps {
  /** One carrying-on per stay in this process: the window's own and a resume at once take the same steps. */
  private readonly inFlight = new SingleFlight<StayRecord>();
  private resuming: Promise<number> | null = null;

  constructor(private readonly d: UndoStepsDeps) {}

  /** The undo asked at the window: recorded first, then its steps. */
  begin(operator: OperatorView, stayId: string, reason: string, backToWard: boolean): Promise<StayRecord> {
    // None yet, or one stopped for a person: (re)started with this person's reason; one going on keeps who asked it.
    const open = this.d.stays.undos.get(stayId);
    if (!open || open.stopped !== null) {
      this.d.stays.undos.begin(stayId, { operator, reason, backToWard }, this.d.now());
      this.d.asked?.(stayId, operator);
    }
    return this.carryOn(stayId);
  }

  /** At start and on the resolver's idle pass: every undo going on whose stay has nothing in doubt. */
  resume(): Promise<number> {
    this.resuming ??= this.resumeAll().finally(() => (this.resuming = null));
    return this.resuming;
  }

  /** For the outbox's `finished` event: a step the resolver (or a person) finished leaves the next one owed. */
  async continueAfter(e: { kind: string; orderId: string; final: string }): Promise<void> {
    if (!UNDO_KINDS.has(e.kind) || e.final !== 'succeeded') return;
    const undo = this.d.stays.undos.get(e.orderId);
    if (!undo || undo.stopped !== null || this.d.outbox.isLocked(e.orderId)) return;
    await this.byStation(undo);
  }

  /** Waits for what this process is carrying on (the station stopping). */
  async quiet(): Promise<void> {
    await Promise.allSettled([this.resuming, this.inFlight.quiet()]);
  }

  private async resumeAll(): Promise<number> {
    let carried = 0;
    let going: StayUndo[];
    try {
      going = this.d.stays.undos.goingOn();
    } catch (e) {
      this.d.log?.('discharge settlement undos not read', e);
      return 0;
    }
    for (const undo of going) {
      if (this.inFlight.has(undo.stayId) || this.d.outbox.isLocked(undo.stayId)) continue;
      carried += 1;
      await this.byStation(undo);
    }
    return carried;
  }

  /** Nobody waits on an undo the station carries on: its end is audited (as the station), a lost answer logged. */
  private async byStation(undo: StayUndo): Promise<void> {
    const asked = `（${undo.operator.id} 原因：${undo.reason}${undo.backToWard ? ' 并撤销出院' : ''}）`;
    const audit = (outcome: 'ok' | 'failed', what: string) => {
      const iptNo = this.d.stays.get(undo.stayId)?.iptNo ?? undo.stayId;
      this.d.audit?.({ operatorId: null, action: 'stay.undoSettlement', outcome, detail: `${iptNo} ${what}${asked}`.slice(0, 300) });
    };
    try {
      await this.carryOn(undo.stayId);
      audit('ok', '工作站自动继续并完成撤销');
    } catch (e) {
      this.d.log?.(`discharge settlement undo not finished (${undo.stayId})`, e);
      const stopped = this.d.stays.undos.get(undo.stayId)?.stopped;
      if (stopped) audit('failed', `撤销已停止，待人工处理：${stopped}`);
    }
  }

  private carryOn(stayId: string): Promise<StayRecord> {
    // Once per run, however many joined it; each step's final state is committed by then.
    return this.inFlight.run(stayId, () => this.steps(stayId).finally(() => this.d.changed?.(stayId)));
  }

  private async steps(stayId: string): Promise<StayRecord> {
    const { stays } = this.d;
    for (;;) {
      const stay = stays.get(stayId);
      if (!stay) throw new StationError('NOT_FOUND', '没有这次住院登记');
      const undo = stays.undos.get(stayId);
      if (!undo) {
        this.d.undone?.(stayId); // the last step's final state removed the record
        return stay;
      }
      if (undo.stopped !== null) throw new StationError('CENTRE_REJECTED', `撤销已停止，待人工处理：${undo.stopped}`);
      const step = nextStep(stay, undo);
      if (step === 'done') {
        stays.undos.finish(stayId);
        this.d.undone?.(stayId);
        return stay;
      }
      if (step === 'stuck') {
        stays.undos.stop(stayId, `住院状态为 ${stay.state}，撤销无法继续`, this.d.now());
        throw new StationError('CONFLICT', `该次住院状态为 ${stay.state}，撤销无法继续，已转人工处理`);
      }
      await this.run(stay.id, step);
    }
  }

  private async run(stayId: string, step: { kind: string; payload: unknown; what: string }): Promise<void> {
    const r = await this.d.outbox
      .run<unknown, unknown>(step.kind, { orderId: stayId, externalId: this.d.newMsgid(), payload: step.payload })
      .catch((e: unknown) => {
        if (e instanceof OrderLockedError) throw new StationError('ORDER_BUSY', '该次住院有结果未知的交易，正在核实，请稍候');
        throw e;
      });
    if (r.state === 'unknown') throw new StationError('OUTCOME_UNKNOWN', `${step.what}结果未知 — 正在自动核实，核实后撤销自动继续`);
    if (r.state === 'failed') {
      const stopped = step.kind === MOVEMENT_KINDS.hisWardSettleCancel ? '' : '。撤销已停止，待人工处理';
      throw new StationError('CENTRE_REJECTED', `${step.what}失败：${r.detail}${stopped}`);
    }
  }
}

/** What the stay's state leaves to do of the undo. */
function nextStep(stay: StayRecord, undo: StayUndo): Step {
  const visit = { operator: undo.operator, insuredRegion: stay.insuredRegion, psnNo: stay.psnNo, mdtrtId: stay.mdtrtId ?? '' };
  if (stay.state === 'completed' && stay.settlement) {
    const payload: HisWardCancelPayload = { settleId: wardSettleId(stay.id, stay.settlement.setlId), reason: undo.reason };
    return { kind: MOVEMENT_KINDS.hisWardSettleCancel, payload, what: 'HIS 出院结算撤销' };
  }
  if (stay.state === 'settled' && stay.settlement && stay.mdtrtId) {
    const payload: InpatientSettlementCancelPayload = { ...visit, setlId: stay.settlement.setlId };
    return { kind: MOVEMENT_KINDS.inpatientSettlementCancel, payload, what: '医保住院结算撤销（2305）' };
  }
  if (stay.state === 'discharged' && undo.backToWard && stay.mdtrtId) {
    const payload: DischargeCancelPayload = visit;
    return { kind: MOVEMENT_KINDS.dischargeCancel, payload, what: '医保出院撤销（2405）' };
  }
  if (stay.state === 'discharged' || (stay.state === 'admitted' && undo.backToWard)) return 'done';
  return 'stuck';
}
