import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fen } from '../../shared/money';
import { EBillsRepo } from '../../station/ebill';
import { StaysRepo } from '../../station/inpatient';
import { OrdersRepo } from '../../station/outpatient/orders-repo';
import { FieldCipher, loadOrCreateDataKeys } from '../../station/security';
import { openDatabase } from '../../station/store';
import { runStation } from '../../../test/harness/station-cli';

let dataDir: string;

/** An order whose bill the platform refused (S1), and a refunded one whose bill stands issued (S2: a red-flush owed). */
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-cli-ebill-'));
  const db = openDatabase(path.join(dataDir, 'station.db'));
  db.pragma('foreign_keys = OFF'); // the orders' operator and identification are not what the command reads
  const orders = new OrdersRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys'))));
  const bills = new EBillsRepo(db);
  const at = new Date('2026-12-04T02:00:00.000Z');
  for (const [n, busNo] of [
    [1, 'S1'],
    [2, 'S2'],
  ] as const) {
    const line = {
      lineNo: 1,
      kind: 'drug' as const,
      hospCode: 'H1',
      nationalCode: 'X01',
      name: '阿莫西林胶囊',
      spec: '',
      unit: '盒',
      quantity: '1',
    };
    const his = {
      orderNo: `MZ${n}`,
      visitNo: 'V1',
      patientId: 'PAT1',
      patientName: '陈建国',
      cardNo: '',
      dept: { code: '03', name: '内科' },
      doctor: { code: 'D1', name: '林医生' },
      state: 'unpaid' as const,
      totalFen: fen(5300),
      createdAt: at.toISOString(),
      expiresAt: at.toISOString(),
      changedAt: at.toISOString(),
      prescriptions: [{ rxNo: 'RX1', rxType: '1', lines: [{ ...line, unitPriceFen: fen(5300), amountFen: fen(5300) }] }],
    };
    const who = {
      identificationId: 'I1',
      psnNo: 'P1',
      insutype: '310',
      insuredRegion: '350200',
      cert: { type: '02' as const, no: 'X' },
      operatorId: 'sf001',
    };
    orders.upsertFromHis(his, who, `order-${n}`, at);
    bills.begin(`order-${n}`, busNo, fen(5300), at);
  }
  bills.refused('S1', at);
  db.prepare(`UPDATE outpatient_orders SET state = 'refunded' WHERE id = 'order-2'`).run();
  bills.issued(
    'S2',
    { busNo: 'S2', billCode: '35010124', billNo: '1', checkCode: 'C', issuedAt: at.toISOString(), totalFen: fen(5300), url: '' },
    at,
  );
  db.close();
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const station = (...args: string[]) => runStation(dataDir, ...args);

describe('npm run station -- ebill', { timeout: 60_000 }, () => {
  it('lists the refused bill and the refunded order’s issued one; reissue asks the station to issue it again, audited; an issued bill’s reissue is refused', () => {
    expect(station('ebill', 'list').stdout.trim().split('\n')).toEqual([
      'order-1  业务流水号 S1  平台拒绝开具  金额 53.00  第 1 次开具',
      'order-2  业务流水号 S2  已开具  金额 53.00  第 1 次开具  已退费，待冲红',
    ]);
    const asked = station('ebill', 'reissue', 'order-1');
    expect(asked.status).toBe(0);
    expect(asked.stdout).toContain('收费单 order-1 的电子票据将重新开具（业务流水号 S1）');
    expect(station('ebill', 'list').stdout.trim().split('\n')[0]).toBe(
      'order-1  业务流水号 S1  平台拒绝开具  金额 53.00  第 1 次开具  已申请重开',
    );
    const refused = station('ebill', 'reissue', 'order-2');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('收费单 order-2 没有被平台拒绝的电子票据');
    const db = openDatabase(path.join(dataDir, 'station.db'));
    const audit = db.prepare(`SELECT outcome, detail FROM audit_log WHERE action = 'ebill.reissue' ORDER BY rowid`).all();
    db.close();
    expect(audit).toEqual([
      { outcome: 'ok', detail: 'order-1' },
      { outcome: 'denied', detail: 'order-2' },
    ]);
  });

  it('reissue takes a discharge’s refused bill by 住院号 or stay id, only the current booking’s; audited', () => {
    const db = openDatabase(path.join(dataDir, 'station.db'));
    db.pragma('foreign_keys = OFF');
    const stays = new StaysRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys'))));
    const at = new Date('2026-12-04T03:00:00.000Z');
    const stay = (iptNo: string, hisSettleNo: string) => {
      const { id } = stays.insert(
        {
          iptNo,
          hisPatientId: 'P000103',
          psnNo: 'P1',
          insuredRegion: '350200',
          insutype: '390',
          cert: { type: '02', no: 'X' },
          ward: { code: 'W0301', bedNo: '01' },
          dept: { code: 'A03', name: '内科' },
          doctor: { code: 'D001', name: '王医生' },
          diagnosis: { code: 'J18.900', name: '肺炎' },
          admittedAt: '2026-12-01 08:00:00',
          operatorId: 'hs001',
        },
        at,
      );
      const settlement = { setlId: `SETL-${iptNo}`, medfeeFen: 9000, fundFen: 6000, acctFen: 0, cashFen: 3000, uptoLine: 3 };
      stays.update(id, { state: 'completed', settlement, booking: { hisSettleNo, invoiceNo: '', deposits: [], surplusFen: 0 } }, at);
      return id;
    };
    const bills = new EBillsRepo(db);
    const first = stay('ZY100', 'HS100');
    bills.begin({ stayId: first }, 'HS100', fen(9000), at);
    bills.refused('HS100', at);
    // The second stay's refused bill is of a booking since undone and booked again (HS201 now): not to be issued.
    const second = stay('ZY200', 'HS201');
    bills.begin({ stayId: second }, 'HS200', fen(9000), at);
    bills.refused('HS200', at);
    db.close();

    const byIptNo = station('ebill', 'reissue', 'ZY100');
    expect(byIptNo.status).toBe(0);
    expect(byIptNo.stdout).toContain('住院号 ZY100 的出院电子票据将重新开具（业务流水号 HS100）');
    expect(station('ebill', 'reissue', first).status).toBe(0);
    expect(station('ebill', 'list').stdout).toContain(
      `住院号 ZY100 ${first}  业务流水号 HS100  平台拒绝开具  金额 90.00  第 1 次开具  已申请重开`,
    );
    const old = station('ebill', 'reissue', 'ZY200');
    expect(old.status).toBe(1);
    expect(old.stderr).toContain('住院号 ZY200 当前的出院结算没有被平台拒绝的电子票据，无需重开');
    const again = openDatabase(path.join(dataDir, 'station.db'));
    const audit = again.prepare(`SELECT outcome, detail FROM audit_log WHERE action = 'ebill.reissue' ORDER BY rowid`).all();
    again.close();
    expect(audit).toEqual([
      { outcome: 'ok', detail: first },
      { outcome: 'ok', detail: first },
      { outcome: 'denied', detail: second },
    ]);
  });
});
