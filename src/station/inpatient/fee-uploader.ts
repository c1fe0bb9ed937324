/**
 * The background fee uploader (住院费用明细上传): for each stay admitted at the centre, the fee lines HIS executed
 * since the last batch go to the centre in batches of `batchSize` (2301), each an outbox movement whose final state
 * moves the stay's upload position. It runs every `everyMs` and before a pre-settlement (which needs every line at
 * the centre). A line HIS took back after it went up is cancelled there by 2302 (fee-plan.ts) before anything after
 * it goes up. A stay with a batch in doubt is left to the outbox; one whose batch was refused stops with the reason
 * shown until a person looks (a line the centre's catalogue refuses does not get better by sending it again).
 */
import type { HisFeeLine, HisWardClient } from '../../insurance/his';
import { fenToYuan } from '../../shared/money';
import { SingleFlight } from '../../shared/single-flight';
import { localDateTime } from '../clock';
import { MOVEMENT_KINDS } from '../movements';
import type { Outbox } from '../outbox';
import type { OperatorView } from '../../shared/domain';
import type { FeeBatchPayload, FeeCancelPayload } from './movements';
import { nextFeeStep } from './fee-plan';
import type { StayRecord, StaysRepo } from './stays-repo';
import type { AdmissionChanges } from './admission-change';

/** 普通住院 */
export const MED_TYPE_INPATIENT = '21';
/** 西医诊断 */
export const DIAG_TYPE_WESTERN = '1';

export interface FeeUploaderDeps {
  his: Pick<HisWardClient, 'feeLines'>;
  stays: StaysRepo;
  outbox: Outbox;
  newMsgid: () => string;
  now: () => Date;
  timeZone: string;
  /** Who the background uploads are made as (the station's system operator). */
  operator: OperatorView;
  /** Lines per 2301 (the centre's limit is a setting; 100 by default). */
  batchSize: number;
  /** A transfer or changed diagnosis at HIS, told to the centre (2403) before the run's lines go up. */
  changes: Pick<AdmissionChanges, 'tellCentre'>;
}

/** `batches`: the 2301 and 2302 movements this run sent. */
export type UploadResult =
  { kind: 'up-to-date'; uptoLine: number; batches: number } | { kind: 'stopped'; uptoLine: number; batches: number; reason: string };

/** feedetl_sn: unique within the stay, and how a line taken back names the line it takes back. */
export const feedetlSn = (iptNo: string, lineNo: number) => `${iptNo}-${lineNo}`;

export class FeeUploader {
  private readonly running = new SingleFlight<UploadResult>();

  constructor(private readonly d: FeeUploaderDeps) {}

  /** Uploads what is due for one stay; two callers for the same stay share one run. */
  upload(stayId: string): Promise<UploadResult> {
    return this.running.run(stayId, () => this.uploadDue(stayId));
  }

  /** Settles once the upload of the stay going now (the background pace's, say) has, if any. */
  settled(stayId: string): Promise<void> {
    return this.running.settled(stayId);
  }

  /** One pass over every admitted stay (the background pace). */
  async sweep(): Promise<void> {
    for (const stay of this.d.stays.inStates(['admitted'])) {
      if (stay.uploadProblem || this.d.outbox.isLocked(stay.id)) continue;
      await this.upload(stay.id);
    }
  }

  private async uploadDue(stayId: string): Promise<UploadResult> {
    let batches = 0;
    let placeTold = false;
    for (;;) {
      const stay = this.d.stays.get(stayId);
      if (!stay?.mdtrtId || stay.state !== 'admitted') throw new Error(`stay ${stayId} is not admitted at the centre`);
      const stopped = (reason: string): UploadResult => ({ kind: 'stopped', uptoLine: stay.uploadedUptoLine, batches, reason });
      if (stay.uploadProblem) return stopped(stay.uploadProblem);
      if (this.d.outbox.isLocked(stay.id)) return stopped('上一批费用明细的上传结果正在核实');
      if (!placeTold) {
        placeTold = true;
        const why = await this.d.changes.tellCentre(stay);
        if (why) return stopped(why);
        continue; // the stay's record may carry the new department now
      }
      const page = await this.d.his.feeLines(stay.iptNo, stay.uploadedUptoLine, this.d.batchSize);
      if (page.kind === 'rejected') return stopped(`HIS：${page.message}`);
      if (page.kind === 'unknown') return stopped(`HIS 无应答：${page.detail}`);
      const step = nextFeeStep(page.value.lines, stay.uploadedUptoLine);
      if (step.kind === 'none') return { kind: 'up-to-date', uptoLine: stay.uploadedUptoLine, batches };
      if (step.kind === 'skip') {
        this.d.stays.update(stay.id, { uploadedUptoLine: step.uptoLine }, this.d.now());
        continue;
      }
      const r =
        step.kind === 'batch'
          ? await this.d.outbox.run<FeeBatchPayload, unknown>(MOVEMENT_KINDS.inpatientFees, {
              orderId: stay.id,
              externalId: this.d.newMsgid(),
              payload: this.payload(stay, step),
            })
          : await this.d.outbox.run<FeeCancelPayload, unknown>(MOVEMENT_KINDS.inpatientFeeCancel, {
              orderId: stay.id,
              externalId: this.d.newMsgid(),
              payload: this.cancelPayload(stay, step),
            });
      batches += 1;
      if (r.state === 'failed') return stopped(r.detail);
      if (r.state === 'unknown')
        return stopped(step.kind === 'batch' ? '费用明细上传结果未知，正在核实' : '费用明细撤销结果未知，正在核实');
    }
  }

  private cancelPayload(stay: StayRecord, step: { lineNo: number; uptoLine: number }): FeeCancelPayload {
    return {
      operator: this.d.operator,
      insuredRegion: stay.insuredRegion,
      psnNo: stay.psnNo,
      mdtrtId: stay.mdtrtId!,
      feedetlSn: feedetlSn(stay.iptNo, step.lineNo),
      uptoLine: step.uptoLine,
    };
  }

  private payload(stay: StayRecord, step: { lines: HisFeeLine[]; fromLine: number; uptoLine: number }): FeeBatchPayload {
    const mdtrtId = stay.mdtrtId!;
    return {
      operator: this.d.operator,
      insuredRegion: stay.insuredRegion,
      psnNo: stay.psnNo,
      mdtrtId,
      fromLine: step.fromLine,
      uptoLine: step.uptoLine,
      lines: step.lines.map((l) => ({
        feedetl_sn: feedetlSn(stay.iptNo, l.lineNo),
        init_feedetl_sn: '', // a line taken back goes as a 2302 of its original, never as a negative line
        mdtrt_id: mdtrtId,
        psn_no: stay.psnNo,
        med_type: MED_TYPE_INPATIENT,
        fee_ocur_time: localDateTime(new Date(l.executedAt), this.d.timeZone),
        med_list_codg: l.nationalCode,
        medins_list_codg: l.hospCode,
        det_item_fee_sumamt: l.amountFen,
        cnt: l.quantity,
        pric: fenToYuan(l.unitPriceFen),
        bilg_dept_codg: stay.dept.code,
        bilg_dept_name: stay.dept.name,
        bilg_dr_codg: stay.doctor.code,
        bilg_dr_name: stay.doctor.name,
      })),
    };
  }
}
