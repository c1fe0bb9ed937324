/**
 * 自费转医保 (issue 15): a patient HIS admitted as self-pay shows insurance later. Within the centre's window (its
 * 入院登记时限, see the NHSA simulator's policy) the stay is registered by the ordinary 2401 with begntime = HIS's
 * admission time, then HIS turns the stay insured (`his.ward-insure`); the background uploader then sends every fee
 * line so far as for any stay. Past the window the centre refuses and the nurse is told why; the stay stays self-pay.
 *
 * HIS lists a self-pay stay without a person number, so the person the card, e-voucher or ID card found is checked
 * against HIS's patient by name and birth date (what the nurse checks at the bed) before anything is sent.
 */
import { StationError } from '../../shared/result';
import type { OperatorView } from '../../shared/domain';
import type { HisStay, HisWardClient } from '../../insurance/his';
import { MOVEMENT_KINDS } from '../movements';
import { OrderLockedError, type Outbox } from '../outbox';
import type { InpatientService, InsuredPerson } from './inpatient-service';
import type { HisWardInsurePayload } from './movements';
import type { StayRecord, StaysRepo } from './stays-repo';

/** The identified person as the centre knows them: what is checked against HIS's patient. */
export interface IdentifiedPerson extends InsuredPerson {
  name: string;
  birthDate: string;
}

export interface LateRegistrationDeps {
  his: Pick<HisWardClient, 'stay'>;
  service: Pick<InpatientService, 'admit'>;
  stays: Pick<StaysRepo, 'byIptNo' | 'inStates'>;
  outbox: Outbox;
  newMsgid: () => string;
}

export class LateRegistration {
  constructor(private readonly d: LateRegistrationDeps) {}

  async register(operator: OperatorView, iptNo: string, person: IdentifiedPerson): Promise<StayRecord> {
    const h = await this.hisStay(iptNo);
    const done = this.d.stays.byIptNo(iptNo);
    // Asked again after HIS already turned it (an earlier try whose answer was lost on the way to the screen).
    if (h.psnNo !== '' && h.psnNo === person.psnNo && done?.state === 'admitted') return done;
    if (h.psnNo !== '') throw new StationError('CONFLICT', '该患者在 HIS 已是医保住院，请按医保入院登记办理');
    if (h.patientName !== person.name || h.birthDate !== person.birthDate)
      throw new StationError('CONFLICT', '读卡所得人员与 HIS 住院患者不符（姓名或出生日期）');
    const stay = await this.d.service.admit(operator, iptNo, person, true);
    await this.insureAtHis({ iptNo, psnNo: stay.psnNo, mdtrtId: stay.mdtrtId! }, stay.id);
    return stay;
  }

  /**
   * A stop between the 2401 and HIS's change leaves a stay admitted at the centre that HIS still lists self-pay (no
   * normal admission can: it needs HIS's person number). Run at start: each such stay is turned insured at HIS.
   */
  async mend(): Promise<number> {
    let mended = 0;
    for (const stay of this.d.stays.inStates(['admitted'])) {
      const h = await this.d.his.stay({ iptNo: stay.iptNo });
      if (h.kind !== 'ok' || h.value.psnNo !== '' || this.d.outbox.isLocked(stay.id)) continue;
      await this.insureAtHis({ iptNo: stay.iptNo, psnNo: stay.psnNo, mdtrtId: stay.mdtrtId! }, stay.id);
      mended += 1;
    }
    return mended;
  }

  private async insureAtHis(payload: HisWardInsurePayload, stayId: string): Promise<void> {
    const intent = { orderId: stayId, externalId: this.d.newMsgid(), payload };
    const r = await this.d.outbox.run<HisWardInsurePayload, HisStay>(MOVEMENT_KINDS.hisWardInsure, intent).catch((e: unknown) => {
      if (e instanceof OrderLockedError) throw new StationError('ORDER_BUSY', '该次住院有结果未知的交易，正在核实，请稍候');
      throw e;
    });
    if (r.state === 'failed')
      throw new StationError(
        'CENTRE_REJECTED',
        `已在医保中心登记，但 HIS 费别未能改为医保：${r.detail}。工作站重启时会再试，或请信息科在 HIS 中更改`,
      );
    if (r.state === 'unknown') throw new StationError('OUTCOME_UNKNOWN', '已在医保中心登记，HIS 费别变更结果未知 — 正在自动核实，请稍候');
  }

  private async hisStay(iptNo: string): Promise<HisStay> {
    const his = await this.d.his.stay({ iptNo });
    if (his.kind === 'rejected') throw new StationError('NOT_FOUND', `HIS：${his.message}`);
    if (his.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', `HIS 无应答，请稍后重试（${his.detail}）`);
    return his.value;
  }
}
