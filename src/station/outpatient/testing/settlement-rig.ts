/**
 * Test support: the station side of an outpatient settlement over a data dir — SQLite, journal, NHSA gateway and
 * outbox with the 2207 movement — against a centre given by its connection data, so that a test and a child
 * process (the crash test) can drive the same data dir.
 */
import path from 'node:path';
import { NhsaClient, preSettleOutpatient, registerOutpatient, uploadOutpatientFees, type SettlementInput } from '../../../insurance/nhsa';
import { openDatabase, type Db, NhsaRepo } from '../../store';
import { FieldCipher, loadOrCreateDataKeys } from '../../security';
import { PersistentMsgIdAllocator, NhsaGateway } from '../../insurance';
import { EventBus } from '../../events';
import { IntentsRepo, Outbox, type OutboxPolicy } from '../../outbox';
import { systemClock } from '../../clock';
import type { OperatorView } from '../../../shared/domain';
import { settlementMovement } from '../movements/settlement';
import type { SettlementPayload } from '../movements';
import { OrdersRepo } from '../orders-repo';
import { fen } from '../../../shared/money';

export const INSTITUTION = { code: 'H35020300001', name: '厦门弘爱医院（测试）', admdvs: '350200' };
export const OPERATOR: OperatorView = { id: 'sf001', name: '张敏', role: 'cashier' };

export interface CentreConnection {
  url: string;
  voucherUrl: string;
  region: string;
  clientId: string;
  stationPrivateKeyHex: string;
  centrePublicKeyHex: string;
  /** Stands between the station and the centre (a man in the middle, in tests of forged answers). */
  fetch?: typeof fetch;
}

/** What a centre simulator's fixture (`startCentreWithFreshKeys`) tells the station: where it is and the two keys. */
export function centreConnection(
  fx: {
    centre: { url: string; voucherUrl: string };
    region: string;
    clientId: string;
    station: { privateKeyHex: string };
    centrePublicKeyHex: string;
  },
  through?: typeof fetch,
): CentreConnection {
  return {
    url: fx.centre.url,
    voucherUrl: fx.centre.voucherUrl,
    region: fx.region,
    clientId: fx.clientId,
    stationPrivateKeyHex: fx.station.privateKeyHex,
    centrePublicKeyHex: fx.centrePublicKeyHex,
    ...(through ? { fetch: through } : {}),
  };
}

export interface SettlementRig {
  db: Db;
  /** The data key: what the rig's repos sealed, a test opens with it. */
  cipher: FieldCipher;
  gateway: NhsaGateway;
  outbox: Outbox;
  intents: IntentsRepo;
  msgids: PersistentMsgIdAllocator;
  finals: string[];
  close(): Promise<void>;
}

export function createSettlementRig(dataDir: string, centre: CentreConnection, policy: Partial<OutboxPolicy> = {}): SettlementRig {
  const clock = systemClock();
  const db = openDatabase(path.join(dataDir, 'station.db'));
  const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys')));
  const repo = new NhsaRepo(db, (text) => cipher.sealText(text));
  const msgids = new PersistentMsgIdAllocator(repo, INSTITUTION.code, clock.timeZone);
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
  const intents = new IntentsRepo(db, cipher);
  const finals: string[] = [];
  const now = () => clock.now();
  const movement = settlementMovement({
    gateway,
    newMsgid: () => msgids.next(clock.now()),
    orders: new OrdersRepo(db, cipher),
    now,
    payWindowMs: 30 * 60_000,
    sendsMessages: false,
  });
  const outbox = new Outbox(
    db,
    intents,
    [
      {
        ...movement,
        settle(tx, i, f) {
          movement.settle(tx, i, f);
          finals.push(`${i.id}:${f.final}`);
        },
      } satisfies typeof movement,
    ],
    { now: () => clock.now(), policy: { backoffBaseMs: 10, backoffMaxMs: 10, settleTimeMs: 0, ...policy } },
  );
  return {
    db,
    cipher,
    gateway,
    outbox,
    intents,
    msgids,
    finals,
    close: async () => {
      await outbox.stop();
      db.close();
    },
  };
}

/** 1101 → 2201 → 2204 → 2206 for one patient: what the order workflow does before settling (53.00 yuan). */
export async function readyToSettle(rig: SettlementRig, person: { idNo: string }): Promise<SettlementPayload> {
  const { gateway } = rig;
  const { person: stored } = await gateway.personInfo(OPERATOR, { certType: '02', certNo: person.idNo });
  const insutype = stored.insurances[0]!.insutype;
  const region = stored.insurances[0]!.insuredRegion;
  const now = '2026-11-23 10:00:00';
  const stamp = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const reg = await gateway.perform(
    '2201',
    OPERATOR,
    (client, ctx) =>
      registerOutpatient(client, ctx, {
        psn_no: stored.psnNo,
        insutype,
        begntime: now,
        mdtrt_cert_type: '02',
        mdtrt_cert_no: person.idNo,
        ipt_otp_no: `MZ${stamp}`,
        atddr_no: 'D001',
        dr_name: '李华',
        dept_code: 'NK01',
        dept_name: '内科',
        caty: 'A03',
      }),
    { insuredRegion: region },
  );
  if (reg.kind !== 'ok') throw new Error(`2201: ${JSON.stringify(reg)}`);
  const mdtrtId = reg.output.mdtrt_id;
  const chrgBchno = `CB${stamp}`;
  const lines = [
    { code: 'XA10BAA021A001010100264', cnt: '2', pric: '11.50', fen: 2300 },
    { code: 'XJ01DCC047A001010102934', cnt: '1', pric: '30.00', fen: 3000 },
  ];
  const up = await gateway.perform(
    '2204',
    OPERATOR,
    (client, ctx) =>
      uploadOutpatientFees(client, ctx, {
        feedetail: lines.map((l, i) => ({
          feedetl_sn: `${chrgBchno}-${i + 1}`,
          mdtrt_id: mdtrtId,
          psn_no: stored.psnNo,
          chrg_bchno: chrgBchno,
          fee_ocur_time: now,
          med_list_codg: l.code,
          medins_list_codg: `H-${l.code.slice(0, 8)}`,
          det_item_fee_sumamt: fen(l.fen),
          cnt: l.cnt,
          pric: l.pric,
          bilg_dept_codg: 'NK01',
          bilg_dept_name: '内科',
          bilg_dr_codg: 'D001',
          bilg_dr_name: '李华',
        })),
      }),
    { insuredRegion: region },
  );
  if (up.kind !== 'ok') throw new Error(`2204: ${JSON.stringify(up)}`);
  const input: SettlementInput = {
    psn_no: stored.psnNo,
    mdtrt_cert_type: '02',
    mdtrt_cert_no: person.idNo,
    med_type: '11',
    medfee_sumamt: fen(5300),
    psn_setlway: '01',
    mdtrt_id: mdtrtId,
    chrg_bchno: chrgBchno,
    insutype,
    acct_used_flag: '1',
  };
  const pre = await gateway.perform('2206', OPERATOR, (client, ctx) => preSettleOutpatient(client, ctx, input), { insuredRegion: region });
  if (pre.kind !== 'ok') throw new Error(`2206: ${JSON.stringify(pre)}`);
  return { operator: OPERATOR, insuredRegion: region, input };
}
