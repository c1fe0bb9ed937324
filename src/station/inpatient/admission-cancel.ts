/**
 * 撤销入院 from the nurse's screen: 2404 for an admitted stay, with the nurse's reason. Whether fee lines hang on the
 * stay is the centre's to say (it refuses while any is there; lines uploaded and then cancelled by 2302 do not count),
 * so the station does not guess from its upload position. Cancelled, the stay may be admitted again (admit()).
 */
import { StationError } from '../../shared/result';
import type { OperatorView } from '../../shared/domain';
import { MOVEMENT_KINDS } from '../movements';
import type { Outbox } from '../outbox';
import type { AdmissionCancelPayload } from './movements';
import type { InpatientService } from './inpatient-service';
import type { StayRecord, StaysRepo } from './stays-repo';

export interface AdmissionCancelDeps {
  service: Pick<InpatientService, 'run'>;
  stays: StaysRepo;
  outbox: Pick<Outbox, 'isLocked'>;
}

export async function cancelAdmission(d: AdmissionCancelDeps, operator: OperatorView, stayId: string, reason: string): Promise<StayRecord> {
  const stay = d.stays.get(stayId);
  if (!stay) throw new StationError('NOT_FOUND', '没有这次住院登记');
  if (d.outbox.isLocked(stay.id)) throw new StationError('ORDER_BUSY', '该次住院有结果未知的交易，正在核实，请稍候');
  if (stay.state !== 'admitted' || !stay.mdtrtId)
    throw new StationError('CONFLICT', `该次住院当前状态（${stay.state}）不能撤销入院，仅在院且未结算的可以`);
  if (d.stays.midway.of(stay.id).length > 0) throw new StationError('CONFLICT', '该次住院已有中途结算，不能撤销入院');
  const payload: AdmissionCancelPayload = {
    operator,
    insuredRegion: stay.insuredRegion,
    psnNo: stay.psnNo,
    mdtrtId: stay.mdtrtId,
    reason: reason.trim(),
  };
  await d.service.run(MOVEMENT_KINDS.admissionCancel, stay, payload, '撤销入院');
  return d.stays.get(stay.id)!;
}
