/**
 * Test support: the station side of inpatient stays over a data dir — SQLite, the NHSA gateway, the HIS ward
 * client, the outbox with the inpatient movements, the fee uploader and the service — against the NHSA centre and
 * HIS simulators given by their connection data.
 */
import path from 'node:path';
import { NhsaClient } from '../../../insurance/nhsa';
import { HisClient, HisWardClient } from '../../../insurance/his';
import { PayChannelClient } from '../../../insurance/pay-channel';
import type { OperatorView } from '../../../shared/domain';
import { openDatabase, type Db, NhsaRepo } from '../../store';
import { FieldCipher, loadOrCreateDataKeys } from '../../security';
import { PersistentMsgIdAllocator, NhsaGateway } from '../../insurance';
import { EventBus } from '../../events';
import { IntentsRepo, Outbox } from '../../outbox';
import { systemClock } from '../../clock';
import { inpatientMovements } from '../movements';
import { FeeUploader } from '../fee-uploader';
import { AdmissionChanges } from '../admission-change';
import { InpatientService, type InsuredPerson } from '../inpatient-service';
import { MidstaySettlements } from '../midstay-settlement';
import { LateRegistration, type IdentifiedPerson } from '../late-registration';
import { StaysRepo } from '../stays-repo';
import { SurplusRefunds } from '../surplus-refunds';
import { ShortfallCollection } from '../shortfall-collection';
import { StayPaymentsRepo } from '../stay-payments-repo';
import { SettlementUndo } from '../settlement-undo';
import { UndoSteps } from '../settlement-undo-steps';
import { ScanRegistry } from '../../scans';
import { stationIds } from '../../ids';
import { StayBills } from '../../ebill';
import type { EBillPort } from '../../../insurance/ebill';
import { billableStay, stayBooked } from '../billable-stay';
import { billFollows } from '../inpatient-station';

/** The test hospital (the same as the outpatient rig's: one institution at the centre simulator). */
export const INSTITUTION = { code: 'H35020300001', name: '厦门弘爱医院（测试）', admdvs: '350200' };

/** Where the centre simulator listens and the keys the station and it share. */
export interface CentreConnection {
  url: string;
  voucherUrl: string;
  region: string;
  clientId: string;
  stationPrivateKeyHex: string;
  centrePublicKeyHex: string;
  fetch?: typeof fetch;
}

export const NURSE: OperatorView = { id: 'hs001', name: '林护士', role: 'cashier' };

export interface HisConnection {
  url: string;
  appId: string;
  appSecret: string;
}

export interface PayConnection {
  url: string;
  mchId: string;
  key: string;
}

export interface InpatientRig {
  db: Db;
  gateway: NhsaGateway;
  ward: HisWardClient;
  stays: StaysRepo;
  outbox: Outbox;
  uploader: FeeUploader;
  service: InpatientService;
  midstay: MidstaySettlements;
  lateRegistration: LateRegistration;
  surplus: SurplusRefunds;
  shortfall: ShortfallCollection;
  payments: StayPaymentsRepo;
  /** The window's undo of a discharge settlement, and its steps (carried on at start and by the resolver). */
  undo: SettlementUndo;
  undoSteps: UndoSteps;
  /** The stays the undo's steps told the screens of (`stayUpdated`, as inpatient-station.ts wires it), in order. */
  undoTold: string[];
  /** The station's msgid allocator (a test building its own parts on the rig's). */
  newMsgid: () => string;
  /** The rig's start: undos left half done carried on (as the station's start does). */
  started: Promise<number>;
  /** The scan box's held codes: a test holds a payment code here as the scan box would. */
  scans: ScanRegistry;
  /** The discharges' e-bills, wired as inpatient-station.ts wires them; null without `ebill`. */
  bills: StayBills | null;
  /** The next steps the resolver's finished movements started (as station.ts starts them), to await. */
  steps: Promise<void>[];
  pay: PayChannelClient;
  /** Card reading: who the centre says the person with this ID number is (1101), with the name and birth date. */
  person(idNo: string): Promise<IdentifiedPerson>;
  close(): Promise<void>;
}

export function createInpatientRig(
  dataDir: string,
  centre: CentreConnection,
  his: HisConnection,
  payAt: PayConnection,
  /** now: the outbox's and the services' clock (a test moves it to a station back from a long stop). */
  opts: { batchSize?: number; now?: () => Date; ebill?: { port: EBillPort; placeCode: string } } = {},
): InpatientRig {
  const clock = systemClock();
  const now = opts.now ?? (() => clock.now());
  const db = openDatabase(path.join(dataDir, 'station.db'));
  const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys')));
  const repo = new NhsaRepo(db, (text) => cipher.sealText(text));
  const msgids = new PersistentMsgIdAllocator(repo, INSTITUTION.code, clock.timeZone);
  const newMsgid = () => msgids.next(clock.now());
  const gateway = new NhsaGateway({
    client: (onSend) =>
      new NhsaClient(
        {
          baseUrl: centre.url,
          urlStyle: 'per-infno',
          profile: 'sm',
          institution: INSTITUTION,
          centreRegion: centre.region,
          recerSysCode: 'TEST',
          timeoutMs: 10_000,
          clientId: centre.clientId,
          stationPrivateKeyHex: centre.stationPrivateKeyHex,
          centrePublicKeyHex: centre.centrePublicKeyHex,
        },
        { msgids, onSend, ...(centre.fetch ? { fetch: centre.fetch } : {}) },
      ),
    repo,
    bus: new EventBus(),
    clock,
    institutionCode: INSTITUTION.code,
    voucher: { baseUrl: centre.voucherUrl, timeoutMs: 2000 },
  });
  const ward = new HisWardClient(new HisClient({ baseUrl: his.url, appId: his.appId, appSecret: his.appSecret, timeoutMs: 5_000 }));
  const stays = new StaysRepo(db, cipher);
  const pay = new PayChannelClient({ baseUrl: payAt.url, mchId: payAt.mchId, key: payAt.key, timeoutMs: 5_000 });
  const payments = new StayPaymentsRepo(db);
  const movements = inpatientMovements({ gateway, his: ward, pay, stays, payments, qrPollEveryMs: 10, newMsgid, now });
  const steps: Promise<void>[] = [];
  const outbox = new Outbox(db, new IntentsRepo(db, cipher), movements, {
    now,
    policy: { backoffBaseMs: 10, backoffMaxMs: 10, settleTimeMs: 0 },
    events: {
      finished: (e) => {
        steps.push(shortfall.continueAfter(e), undoSteps.continueAfter(e));
        const stayId = billFollows(e);
        if (bills && stayId && stays.get(stayId)) bills.follow(stayId);
      },
      idle: () => void steps.push(undoSteps.resume().then(() => undefined)),
    },
  });
  const log = () => {}; // a bill not brought up to date is seen by the test itself
  const bills: StayBills | null = opts.ebill
    ? new StayBills({
        db,
        outbox,
        ...opts.ebill,
        now,
        bookedOf: (id) => stayBooked({ db, stays }, id),
        billableOf: (id) => billableStay({ db, stays, his: ward }, id),
        log,
      })
    : null;
  const uploader = new FeeUploader({
    his: ward,
    stays,
    outbox,
    newMsgid,
    now,
    timeZone: clock.timeZone,
    operator: NURSE,
    batchSize: opts.batchSize ?? 100,
    changes: new AdmissionChanges({ his: ward, outbox, newMsgid, operator: NURSE }),
  });
  const booked = (stayId: string) => bills?.follow(stayId);
  const undoBills = { asked: (id: string, o: OperatorView) => bills?.asked(id, o.name), undone: booked };
  const service = new InpatientService({
    gateway,
    his: ward,
    stays,
    payments,
    outbox,
    uploader,
    newMsgid,
    now,
    timeZone: clock.timeZone,
    booked,
  });
  const surplus = new SurplusRefunds({ his: ward, stays, outbox, now });
  const midstay = new MidstaySettlements({ service, his: ward, stays, outbox });
  const lateRegistration = new LateRegistration({ his: ward, service, stays, outbox, newMsgid });
  const scans = new ScanRegistry();
  const shortfall = new ShortfallCollection({
    stays,
    payments,
    outbox,
    pay,
    scans,
    ids: stationIds(now),
    now,
    qrTtlMs: 60_000,
    book: (stayId) => service.settleDischarge(NURSE, stayId),
  });
  const undoTold: string[] = [];
  const undoSteps = new UndoSteps({ stays, outbox, newMsgid, now, ...undoBills, changed: (stayId) => undoTold.push(stayId) });
  const undo = new SettlementUndo({ stays, payments, outbox, steps: undoSteps });
  return {
    db,
    undo,
    undoSteps,
    undoTold,
    newMsgid,
    started: undoSteps.resume(),
    surplus,
    shortfall,
    payments,
    scans,
    steps,
    bills,
    pay,
    gateway,
    ward,
    stays,
    outbox,
    uploader,
    service,
    midstay,
    lateRegistration,
    async person(idNo) {
      const { person } = await gateway.personInfo(NURSE, { certType: '02', certNo: idNo });
      const insurance = person.insurances[0]!;
      const insured: InsuredPerson = {
        psnNo: person.psnNo,
        insuredRegion: insurance.insuredRegion,
        insutype: insurance.insutype,
        cert: { type: '02', no: idNo },
      };
      return { ...insured, name: person.name, birthDate: person.birthDate };
    },
    close: async () => {
      await undoSteps.quiet();
      await bills?.quiet();
      await outbox.stop();
      db.close();
    },
  };
}
