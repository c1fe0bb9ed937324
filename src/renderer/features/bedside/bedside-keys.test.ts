import { describe, expect, it } from 'vitest';
import type { StayView, WardPatientView } from '../../../shared/inpatient';
import { fen } from '../../../shared/money';
import { bedsideKeys } from './bedside-keys';

const patient = (stay: Partial<StayView> | null, over: Partial<WardPatientView> = {}): WardPatientView => ({
  iptNo: 'ZY1',
  bedNo: '01',
  patientName: '陈建国',
  insured: true,
  admittedAt: '2026-12-01T00:00:00Z',
  daysIn: 3,
  hisState: 'discharge-ordered',
  dischargeOrdered: true,
  billFen: 9870,
  depositBalanceFen: 50_000,
  stay: stay && {
    id: 's1',
    iptNo: 'ZY1',
    state: 'admitted',
    bedNo: '01',
    admittedAt: '2026-12-01 08:00:00',
    uploadedUptoLine: 0,
    uploadProblem: null,
    settlement: null,
    booking: null,
    surplus: null,
    shortfallFen: 0,
    payments: [],
    midway: [],
    undo: null,
    ...stay,
  },
  ...over,
});

const on = (keys: ReturnType<typeof bedsideKeys>) => keys.filter((k) => k.enabled).map((k) => k.key);

describe('the bedside keys follow the stay', () => {
  it('an insured patient not registered at the centre: only the identification keys (ID number, card, ID card); a self-pay one 自费转医保 only', () => {
    expect(on(bedsideKeys(patient(null), 'none', 0))).toEqual(['↑↓', 'F2', 'F3', 'Alt+S', 'F5']);
    expect(on(bedsideKeys(patient(null, { insured: false }), 'none', 0))).toEqual(['↑↓', 'Alt+Z', 'F5']);
    // At 1366 the bar holds one step's keys: registering shows no stay keys, a registered stay no identification keys.
    expect(bedsideKeys(patient(null), 'none', 0).map((k) => k.key)).toEqual(['↑↓', 'F2', 'F3', 'Alt+S', 'F5']);
    expect(bedsideKeys(patient({}), 'none', 0).map((k) => k.key)).not.toContain('Alt+S');
    // An admitted stay: its keys in the ward, not the discharge settlement's; a discharged one the other way round.
    expect(bedsideKeys(patient({}), 'none', 0).map((k) => k.key)).toEqual(['↑↓', 'F4', 'F6', 'Alt+M', 'F11', 'Alt+X', 'F5']);
    expect(bedsideKeys(patient({ state: 'discharged' }), 'none', 0).map((k) => k.key)).toEqual([
      '↑↓',
      'F4',
      'F6',
      'F7',
      'F8',
      'F9',
      '1-9',
      'Enter',
      'F11',
      'F5',
    ]);
  });

  it('admitted: the bill to date, 撤销入院, and 出院 only once the doctor ordered it', () => {
    expect(on(bedsideKeys(patient({}), 'none', 0))).toEqual(['↑↓', 'F4', 'F6', 'Alt+X', 'F5']);
    expect(on(bedsideKeys(patient({}, { dischargeOrdered: false }), 'none', 0))).toEqual(['↑↓', 'F4', 'Alt+X', 'F5']);
  });

  it('中途结算 from the bill to date before the discharge order; its slip after; no 撤销入院 once one is made', () => {
    const inWard = { dischargeOrdered: false };
    expect(on(bedsideKeys(patient({}, inWard), 'bill', 0))).toEqual(['↑↓', 'F4', 'Alt+M', 'Alt+X', 'F5']);
    // The doctor ordered the discharge: the discharge settles it all, no mid-stay settlement.
    expect(on(bedsideKeys(patient({}), 'bill', 0))).not.toContain('Alt+M');
    const m = { setlId: 'S1', medfeeFen: 100, fundFen: 50, acctFen: 0, cashFen: 50, uptoLine: 3, booking: null, createdAt: '' };
    const done = patient({ midway: [{ ...m, state: 'booked' }] }, inWard);
    expect(on(bedsideKeys(done, 'midstay', 0))).toEqual(['↑↓', 'F4', 'F11', 'F5']);
    expect(bedsideKeys(done, 'midstay', 0).find((k) => k.key === 'F11')!.label).toBe('打印中途结算单');
    // One the centre made and HIS has not booked: 中途结算 again finishes it, without the bill on screen.
    expect(on(bedsideKeys(patient({ midway: [{ ...m, state: 'settled' }] }, inWard), 'none', 0))).toEqual(['↑↓', 'F4', 'Alt+M', 'F5']);
  });

  it('discharged: 出院预结算, and 出院结算 only with the pre-settlement on screen', () => {
    expect(on(bedsideKeys(patient({ state: 'discharged' }), 'none', 0))).toEqual(['↑↓', 'F7', 'F5']);
    expect(on(bedsideKeys(patient({ state: 'discharged' }), 'preview', 0))).toEqual(['↑↓', 'F7', 'F8', 'F5']);
  });

  it('settled with a shortfall: F9 for the QR (the scan box takes a payment code), none while a payment is open; Esc closes a QR', () => {
    const due = patient({ state: 'settled', shortfallFen: 1200 });
    expect(on(bedsideKeys(due, 'settled', 0))).toEqual(['↑↓', 'F9', 'F5']);
    // No QR waiting: no Esc on the bar at all.
    expect(bedsideKeys(due, 'settled', 0).map((k) => k.key)).not.toContain('Esc');
    const qr = {
      outTradeNo: 'Q1',
      mode: 'precreate' as const,
      wallet: 'unknown' as const,
      amountFen: fen(1200),
      state: 'pending' as const,
    };
    const waiting = patient({
      state: 'settled',
      shortfallFen: 1200,
      payments: [{ ...qr, qrCode: 'weixin://x', expiresAt: null, updatedAt: '' }],
    });
    expect(on(bedsideKeys(waiting, 'settled', 0))).toEqual(['↑↓', 'Esc', 'F5']);
    expect(bedsideKeys(waiting, 'settled', 0).find((k) => k.key === 'Esc')!.label).toBe('关闭二维码');
    // A payment code being paid (no QR): nothing to close, no F9 either.
    const code = patient({
      state: 'settled',
      shortfallFen: 1200,
      payments: [{ ...qr, mode: 'micropay', qrCode: null, expiresAt: null, updatedAt: '' }],
    });
    expect(on(bedsideKeys(code, 'settled', 0))).toEqual(['↑↓', 'F5']);
    expect(bedsideKeys(code, 'settled', 0).map((k) => k.key)).not.toContain('Esc');
    // Settled with nothing short (HIS's booking refused earlier): 出院结算 books it again.
    expect(on(bedsideKeys(patient({ state: 'settled' }), 'preview', 0))).toEqual(['↑↓', 'F8', 'F5']);
  });

  it('completed with the surplus not dealt with: ticks and Enter; once dealt with, nothing but moving on', () => {
    const booking = { hisSettleNo: 'ZJ1', invoiceNo: 'FP1', deposits: [], surplusFen: 100 };
    const keys = bedsideKeys(patient({ state: 'completed', booking }), 'settled', 2);
    expect(on(keys)).toEqual(['↑↓', '1-9', 'Enter', 'F11', 'F5']);
    expect(keys.find((k) => k.key === 'Enter')!.label).toBe('原路退款');
    const done = patient({ state: 'completed', booking, surplus: { to: 'window', amountFen: 100, refunds: [] } });
    expect(on(bedsideKeys(done, 'none', 0))).toEqual(['↑↓', 'F11', 'F5']);
    // Nothing left over (the shortfall was paid at the bedside): no surplus step at all.
    expect(on(bedsideKeys(patient({ state: 'completed', booking: { ...booking, surplusFen: 0 } }), 'none', 0))).toEqual([
      '↑↓',
      'F11',
      'F5',
    ]);
  });

  it('a discharge settlement undo not finished (撤销进行中, or stopped for a person): nothing to settle, discharge or collect', () => {
    const undo = { operatorId: 'sf001', reason: '费用录入有误', backToWard: false, begunAt: '2026-12-04T03:00:00Z', stopped: null };
    expect(on(bedsideKeys(patient({ state: 'settled', undo }), 'preview', 0))).toEqual(['↑↓', 'F5']);
    expect(on(bedsideKeys(patient({ state: 'settled', shortfallFen: 500, undo }), 'none', 0))).toEqual(['↑↓', 'F5']);
    const stopped = { ...undo, backToWard: true, stopped: '医保出院撤销（2405）未成功：中心拒绝' };
    expect(on(bedsideKeys(patient({ state: 'discharged', undo: stopped }), 'preview', 0))).toEqual(['↑↓', 'F5']);
    // The same stay with no undo open: 出院预结算 and 出院结算 are there.
    expect(on(bedsideKeys(patient({ state: 'discharged' }), 'preview', 0))).toEqual(['↑↓', 'F7', 'F8', 'F5']);
  });

  it('自费转医保: Alt+Z on a self-pay patient in a bed, then the identification keys as for an admission', () => {
    const selfPay = patient(null, { insured: false, hisState: 'in', dischargeOrdered: false });
    expect(on(bedsideKeys(selfPay, 'none', 0))).toEqual(['↑↓', 'Alt+Z', 'F5']);
    expect(on(bedsideKeys(selfPay, 'none', 0, true))).toEqual(['↑↓', 'F2', 'F3', 'Alt+S', 'F5']);
    // Not for an insured patient, one HIS has settled, or a stay already registered.
    expect(on(bedsideKeys(patient(null), 'none', 0))).not.toContain('Alt+Z');
    expect(on(bedsideKeys(patient(null, { insured: false, hisState: 'settled' }), 'none', 0))).not.toContain('Alt+Z');
    expect(on(bedsideKeys(patient({ state: 'admitted' }, { insured: false }), 'none', 0))).not.toContain('Alt+Z');
  });
});
