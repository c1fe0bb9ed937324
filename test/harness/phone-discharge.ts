/**
 * Test support: an inpatient discharge paid on the phone (医保移动支付) with real parts — the mobile-payment centre
 * and HIS (its ward side) on 127.0.0.1 — and the station's side of it over a SQLite file: its stay discharged at the
 * centre, the bill the phone settles (HIS's open lines), and the outbox with the mobile movements and HIS's booking.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HisClient, HisWardClient } from '../../src/insurance/his';
import type { MobilePayClient } from '../../src/insurance/mobile-pay';
import { fenToYuan } from '../../src/shared/money';
import type { MobilePrepareInput } from '../../src/shared/mobile-pay';
import { startHis, type HisSimulator } from '../../src/simulators/his';
import { startMobilePayCentre, type MobilePayCentre } from '../../src/simulators/mobile-pay';
import type { EBillPort } from '../../src/insurance/ebill';
import { StayBills } from '../../src/station/ebill';
import { LedgerEventsRepo } from '../../src/station/hospital-ledger';
import { billableStay, stayBooked, StaysRepo } from '../../src/station/inpatient';
import {
  MobileOrdersRepo,
  MobileSettlement,
  mobileMovements,
  mobileWardBookingMovement,
  mobileWardCancelMovement,
  newMobileId,
  withMobileOrders,
} from '../../src/station/mobile-pay';
import { IntentsRepo, Outbox } from '../../src/station/outbox';
import { FieldCipher, loadOrCreateDataKeys } from '../../src/station/security';
import { openDatabase, PersonsRepo, type Db } from '../../src/station/store';
import type { mobilePayTestChannel } from './mobile-pay-channel';

export const HIS_APP = { appId: 'YBSTATION01', appSecret: 'his-secret-0123456789abcdef' };

/** A patient in HIS's seed and in the centre's population. */
export interface WardPatient {
  hisId: string;
  idNo: string;
  name: string;
  psnNo: string;
}

/** 陈建国: in HIS (P000101) and the centre's population. */
export const CHEN_JIANGUO: WardPatient = { hisId: 'P000101', idNo: '350203196804122036', name: '陈建国', psnNo: '35020000000000000101' };

/** 黄志强: resident scheme (390), in HIS (P000103) and the centre's population; no personal account, so a self-pay part. */
export const HUANG_ZHIQIANG: WardPatient = { hisId: 'P000103', idNo: '350211195203054010', name: '黄志强', psnNo: '35020000000000000103' };

export interface PhoneWard {
  sim: MobilePayCentre;
  his: HisSimulator;
  /** The station's client of HIS's ward side. */
  ward: HisWardClient;
  close(): Promise<void>;
}

/** The mobile-payment centre of `channel` and HIS (no seeded outpatient orders), each on 127.0.0.1. */
export async function startPhoneWard(channel: ReturnType<typeof mobilePayTestChannel>): Promise<PhoneWard> {
  const sim = await startMobilePayCentre({ ...channel.centre });
  const his = await startHis({ apps: [{ appId: HIS_APP.appId, secret: HIS_APP.appSecret }], seedOrders: false });
  const ward = new HisWardClient(new HisClient({ baseUrl: his.url, appId: HIS_APP.appId, appSecret: HIS_APP.appSecret, timeoutMs: 5_000 }));
  return {
    sim,
    his,
    ward,
    close: async () => {
      await sim.close();
      await his.close();
    },
  };
}

/** The station's stay of the HIS stay `iptNo`, discharged at the centre (what the phone's settlement starts from): its id. */
export function stationDischargedStay(
  stays: StaysRepo,
  iptNo: string,
  patient: WardPatient,
  scheme: { insutype: string; region: string },
): string {
  const stay = stays.insert(
    {
      iptNo,
      hisPatientId: patient.hisId,
      psnNo: patient.psnNo,
      insuredRegion: scheme.region,
      insutype: scheme.insutype,
      cert: { type: '01', no: patient.idNo },
      ward: { code: 'W0301', bedNo: '01' },
      dept: { code: 'A03', name: '内科' },
      doctor: { code: 'D001', name: '王医生' },
      diagnosis: { code: 'J18.900', name: '肺炎' },
      admittedAt: '2026-12-01 08:00:00',
      operatorId: 'hs001',
    },
    new Date(),
  );
  stays.update(stay.id, { state: 'discharged', mdtrtId: 'MDTRT1' }, new Date());
  return stay.id;
}

/** A day's charges of a stay: two drugs. */
const WARD_DAY = [
  { hospCode: 'Y0006', quantity: '40' },
  { hospCode: 'Y0001', quantity: '20' },
];

/**
 * A stay on the ward two days with `lines` charged each day and the doctor's discharge order at HIS, discharged at the
 * centre (the station's stay, in `world.station`'s repo): its 住院号.
 */
export function twoDayDischarge(
  world: { his: HisSimulator; station: { stays: StaysRepo } },
  patient: WardPatient,
  scheme: { insutype: string; region: string },
  lines: { hospCode: string; quantity: string }[] = WARD_DAY,
): string {
  const iptNo = world.his.control.ward.admit({ patientId: patient.hisId, wardCode: 'W0301' });
  stationDischargedStay(world.station.stays, iptNo, patient, scheme);
  for (const day of ['2026-12-01', '2026-12-02']) world.his.control.ward.charge({ iptNo, day, lines });
  world.his.control.ward.orderDischarge(iptNo);
  return iptNo;
}

/** The phone's bill of the stay `iptNo`: HIS's lines not yet settled, paid from a wallet the centre authorises. */
export async function phoneDischargeBill(bill: {
  orderId: string;
  iptNo: string;
  patient: WardPatient;
  insutype: string;
  ward: HisWardClient;
  sim: MobilePayCentre;
  walletFen?: number;
}): Promise<MobilePrepareInput> {
  const { orderId, iptNo, patient } = bill;
  const page = await bill.ward.feeLines(iptNo, 0, 200);
  if (page.kind !== 'ok') throw new Error(JSON.stringify(page));
  return {
    orderId,
    kind: 'inpatient',
    visitNo: iptNo,
    payAuthNo: bill.sim.control.authorise(patient.idNo, bill.walletFen ?? 1_000_000),
    patient: { idNo: patient.idNo, idType: '01', name: patient.name, psnNo: patient.psnNo, insutype: bill.insutype },
    medType: '21',
    deptCode: 'A03',
    deptName: '内科',
    begntime: '2026-12-01 08:00:00',
    ward: { iptNo, uptoLine: page.value.lastLine },
    lines: page.value.lines
      .filter((l) => l.settleId === null)
      .map((l) => ({
        feedetlSn: String(l.lineNo),
        medListCodg: l.nationalCode,
        medinsListCodg: l.hospCode,
        cnt: l.quantity,
        pric: fenToYuan(l.unitPriceFen),
        amountFen: l.amountFen,
      })),
  };
}

type OnFinal = NonNullable<ConstructorParameters<typeof Outbox>[3]>['onFinal'];

export interface PhoneStationOptions {
  /** The station's stays given to the movements and the settlement (a refunded discharge reopens its stay); default true. */
  stays?: boolean;
  /** HIS's cancel of its booking among the movements (the refund of a booked discharge); default true. */
  cancel?: boolean;
  /** Where each finished step's next step is kept, for the test to wait on; left out: no next steps run. */
  nextSteps?: Promise<void>[];
  /** The outbox's recorder of final movements (e.g. the hospital ledger's), over the station's own repos. */
  onFinal?: (parts: { db: Db; cipher: FieldCipher; stays: StaysRepo }) => OnFinal;
  /** The e-bill gateway: the stays' discharge bills (StayBills) follow HIS's booking and the 6203, as in the station. */
  ebill?: { port: EBillPort; placeCode: string };
}

// No window orders here: every event's row is the phone's order.
const NO_WINDOW_ORDERS = { get: () => undefined, payments: { paid: () => [] } };

/** `onFinal` for the hospital ledger's recorder of station W01 over the station's own database. */
const phoneLedgerRecorder: NonNullable<PhoneStationOptions['onFinal']> = ({ db, cipher, stays }) =>
  new LedgerEventsRepo(db).recorder('W01', withMobileOrders(NO_WINDOW_ORDERS, { db, cipher, stays, persons: new PersonsRepo(db, cipher) }));

/** The station over `dir` and `db`: its outbox (started) with the mobile movements and HIS's ward booking. */
export function startPhoneStation(dir: string, db: Db, client: MobilePayClient, ward: HisWardClient, opts: PhoneStationOptions = {}) {
  const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
  const orders = new MobileOrdersRepo(db, cipher);
  const stays = new StaysRepo(db, cipher);
  const withStays = opts.stays ?? true;
  const now = () => new Date();
  const deps = { his: ward, stays, orders, newId: newMobileId, now };
  const nextSteps = opts.nextSteps;
  const outbox: Outbox = new Outbox(
    db,
    new IntentsRepo(db, cipher),
    [
      ...mobileMovements({ client, orders, ...(withStays ? { stays } : {}), now, newId: newMobileId }),
      mobileWardBookingMovement(deps),
      ...((opts.cancel ?? true) ? [mobileWardCancelMovement(deps)] : []),
    ],
    {
      now,
      policy: { backoffBaseMs: 10, backoffMaxMs: 10, settleTimeMs: 0 },
      ...(nextSteps ? { events: { finished: (i) => void nextSteps.push(settlement.afterFinished(i)) } } : {}),
      ...(opts.onFinal ? { onFinal: opts.onFinal({ db, cipher, stays }) } : {}),
    },
  );
  const bills = opts.ebill
    ? new StayBills({
        db,
        outbox,
        ...opts.ebill,
        now,
        bookedOf: (id) => stayBooked({ db, stays }, id),
        billableOf: (id) => billableStay({ db, stays, his: ward, phoneOrderOf: (iptNo, setlId) => orders.settledStay(iptNo, setlId) }, id),
        log: () => {}, // a bill not brought up to date is seen by the test itself
      })
    : null;
  const billFollows = (iptNo: string) => {
    const stay = stays.byIptNo(iptNo);
    if (stay) bills?.follow(stay.id);
  };
  const settlement = new MobileSettlement({
    db,
    orders,
    outbox,
    client,
    now,
    ward: withStays ? { his: ward, stays, billFollows } : { his: ward },
  });
  outbox.start();
  return { cipher, orders, stays, outbox, settlement, bills };
}

export type PhoneStation = ReturnType<typeof startPhoneStation>;

/** A phone discharge's whole world: the centre and HIS, a fresh data dir with its SQLite file, the station over them. */
export interface PhoneDischargeWorld extends PhoneWard {
  dir: string;
  db: Db;
  /** The station's client of the centre (2 s timeout). */
  client: MobilePayClient;
  /** The station as it runs now (`restart` replaces it). */
  station: PhoneStation;
  /** The station's outbox stopped and a station started again over the data dir; `nextSteps: false`: one that stops as a step finishes. */
  restart(nextSteps?: boolean): Promise<PhoneStation>;
  /** The station's outbox stopped, its next steps waited for, the simulators closed, the data dir removed. */
  close(): Promise<void>;
}

/** `name` names the temp dir; `opts` shape the station (its next steps always run, kept for `close` to wait on). */
export async function startPhoneDischarge(
  channel: ReturnType<typeof mobilePayTestChannel>,
  name: string,
  opts: Omit<PhoneStationOptions, 'nextSteps'> = {},
): Promise<PhoneDischargeWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const db = openDatabase(path.join(dir, 'station.db'));
  const phoneWard = await startPhoneWard(channel);
  const client = channel.client(phoneWard.sim.url, 2000);
  const busy: Promise<void>[] = [];
  const start = (nextSteps = true) => startPhoneStation(dir, db, client, phoneWard.ward, nextSteps ? { ...opts, nextSteps: busy } : opts);
  const world: PhoneDischargeWorld = {
    ...phoneWard,
    dir,
    db,
    client,
    station: start(),
    async restart(nextSteps = true) {
      await world.station.outbox.stop();
      world.station = start(nextSteps);
      return world.station;
    },
    async close() {
      await world.station.outbox.stop();
      await Promise.allSettled(busy);
      await phoneWard.close();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** A phone discharge's world whose outbox records to the hospital ledger (station W01), with that ledger's events. */
export interface PhoneLedgerWorld extends PhoneDischargeWorld {
  events: LedgerEventsRepo;
}

export async function startPhoneLedgerWorld(channel: ReturnType<typeof mobilePayTestChannel>, name: string): Promise<PhoneLedgerWorld> {
  const world = await startPhoneDischarge(channel, name, { onFinal: phoneLedgerRecorder });
  // The same object: its restart and close keep working on the station it holds.
  return Object.assign(world, { events: new LedgerEventsRepo(world.db) });
}

/** The phone's bill of a stay on the ward two days (`twoDayDischarge`), or of the stay `iptNo` again: HIS's open lines. */
export function twoDayDischargeBill(
  world: PhoneDischargeWorld,
  orderId: string,
  patient: WardPatient,
  scheme: { insutype: string; region: string },
  iptNo = twoDayDischarge(world, patient, scheme),
): Promise<MobilePrepareInput> {
  return phoneDischargeBill({ orderId, iptNo, patient, insutype: scheme.insutype, ward: world.ward, sim: world.sim });
}
