import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StaysRepo } from '../../station/inpatient';
import { FieldCipher, loadOrCreateDataKeys } from '../../station/security';
import { openDatabase } from '../../station/store';
import { runStation } from '../../../test/harness/station-cli';

let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-cli-stays-'));
  const db = openDatabase(path.join(dataDir, 'station.db'));
  const stays = new StaysRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys'))));
  const at = new Date('2026-12-04T02:00:00.000Z');
  const stay = stays.insert(
    {
      iptNo: 'ZY1',
      hisPatientId: 'P000103',
      psnNo: 'PSN1',
      insuredRegion: '350200',
      insutype: '390',
      cert: { type: '02', no: '350211195203054010' },
      ward: { code: 'W0301', bedNo: '03' },
      dept: { code: 'D1', name: '心内科' },
      doctor: { code: 'DR1', name: '王医生' },
      diagnosis: { code: 'I10', name: '高血压' },
      admittedAt: '2026-12-01 08:00:00',
      operatorId: 'hs001',
    },
    at,
  );
  stays.update(stay.id, { state: 'admitted', mdtrtId: 'MD1', uploadedUptoLine: 9 }, at);
  const split = { medfeeFen: 9870, fundFen: 5000, acctFen: 0, cashFen: 4870 };
  stays.midway.add(stay.id, { setlId: 'S1', ...split, uptoLine: 7 }, at);
  stays.midway.booked('S1', { hisSettleNo: 'ZJ1', invoiceNo: 'FP1', deposits: [], surplusFen: 0 }, at);
  stays.midway.add(stay.id, { setlId: 'S2', ...split, medfeeFen: 840, fundFen: 0, cashFen: 840, uptoLine: 9 }, at);
  db.close();
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const station = (...args: string[]) => runStation(dataDir, ...args);

describe('npm run station -- stays', { timeout: 60_000 }, () => {
  it('lists a stay’s mid-stay settlements, the one HIS has not booked said so, without personal data', () => {
    const r = station('stays', 'settlements', 'ZY1');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      'ZY1  admitted  mdtrt_id MD1  已上传至第 9 条',
      '  中途结算 S1  booked  总额 98.70  基金 50.00 账户 0.00 自付 48.70  至第 7 条  HIS ZJ1  2026-12-04T02:00:00.000Z',
      '  中途结算 S2  settled  总额 8.40  基金 0.00 账户 0.00 自付 8.40  至第 9 条  HIS 未登记  2026-12-04T02:00:00.000Z',
    ]);
    expect(r.stdout).not.toContain('350211195203054010');
  });

  it('resume-uploads: a stay stopped on a refusal goes on at the next sweep, audited; the listing shows why it stopped', () => {
    const reason = '入院信息变更（2403）被拒：科室编码不存在';
    const db = openDatabase(path.join(dataDir, 'station.db'));
    const stays = new StaysRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys'))));
    stays.update(stays.byIptNo('ZY1')!.id, { uploadProblem: reason }, new Date());
    db.close();
    expect(station('stays', 'settlements', 'ZY1').stdout).toContain(`上传已停止：${reason}`);

    const r = station('stays', 'resume-uploads', 'ZY1');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('将在下次自动上传时继续');
    const after = openDatabase(path.join(dataDir, 'station.db'));
    const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys')));
    expect(new StaysRepo(after, cipher).byIptNo('ZY1')!.uploadProblem).toBeNull();
    const audited = after.prepare(`SELECT action, outcome FROM audit_log WHERE action = 'stay.resumeUploads'`).all();
    after.close();
    expect(audited).toEqual([{ action: 'stay.resumeUploads', outcome: 'ok' }]);
    // Nothing stopped: nothing to do.
    expect(station('stays', 'resume-uploads', 'ZY1').stdout).toContain('无需处理');
  });

  it('shows a discharge settlement undo the centre refused, stopped for a person with the reason; one under way says so', () => {
    const db = openDatabase(path.join(dataDir, 'station.db'));
    const stays = new StaysRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys'))));
    const stayId = stays.byIptNo('ZY1')!.id;
    const at = new Date('2026-12-04T03:00:00.000Z');
    stays.undos.begin(stayId, { operator: { id: 'sf001', name: '王收费', role: 'cashier' }, reason: '费用录入有误', backToWard: true }, at);
    db.close();
    expect(station('stays', 'settlements', 'ZY1').stdout).toContain(
      '  出院结算撤销进行中（自动继续）  sf001 2026-12-04T03:00:00.000Z 原因：费用录入有误（并撤销出院）',
    );

    const again = openDatabase(path.join(dataDir, 'station.db'));
    new StaysRepo(again, new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys')))).undos.stop(
      stayId,
      '医保住院结算撤销（2305）未成功：该结算已纳入清算，不能撤销',
      at,
    );
    again.close();
    const r = station('stays', 'settlements', 'ZY1');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('  出院结算撤销已停止，待人工处理：医保住院结算撤销（2305）未成功：该结算已纳入清算，不能撤销  sf001');
    expect(r.stdout).not.toContain('撤销进行中');
    // Every undo not finished, for IT who does not know the 住院号.
    expect(station('stays', 'undos').stdout.split('\n').filter(Boolean)).toEqual([
      'ZY1  admitted',
      '  出院结算撤销已停止，待人工处理：医保住院结算撤销（2305）未成功：该结算已纳入清算，不能撤销  sf001 2026-12-04T03:00:00.000Z 原因：费用录入有误（并撤销出院）',
    ]);
  });

  it('undos: none not finished says so', () => {
    const r = station('stays', 'undos');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('没有未完成的出院结算撤销');
  });

  it('names an unknown stay and exits 1', () => {
    const r = station('stays', 'settlements', 'NOPE');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('没有住院号 NOPE');
  });
});
