import { describe, expect, it } from 'vitest';
import { REVERSIBLE_BY_CENTRE, SUPPORTED_INFNOS } from '../../../simulators/nhsa';
import * as nhsa from '../index';
import { DEFAULT_REVERSIBLE_INFNOS, isStateChanging, TRANSACTION_KINDS } from './kinds';

/** Every transaction function the client exports (they carry their infno). */
const transactions = Object.entries(nhsa).flatMap(([name, value]) =>
  typeof value === 'function' && typeof (value as { infno?: unknown }).infno === 'string'
    ? [[name, (value as unknown as { infno: string }).infno] as const]
    : [],
);

describe('TRANSACTION_KINDS', () => {
  it('knows every transaction the client can send', () => {
    const expected = ['9001', '9002', '1101', '2001', '2601', '3201', '3202', '3260', '3261', '3262', '9101', '1312', '1318', '1319']
      .concat(['2201', '2202', '2203', '2204', '2205', '2206', '2207', '2208'])
      .concat(['2301', '2302', '2303', '2304', '2305', '2401', '2402', '2403', '2404', '2405'])
      .concat(['5201', '5202', '5203', '5204', '5205']);
    expect(new Set(transactions.map(([, infno]) => infno))).toEqual(new Set(expected));
    for (const [name, infno] of transactions) expect(TRANSACTION_KINDS[infno], `${name} (${infno})`).toBeDefined();
  });

  it('classes money movements and their undoing as state-changing, queries and previews as read-only', () => {
    const stateChanging = [
      '2201',
      '2202',
      '2203',
      '2204',
      '2205',
      '2207',
      '2208',
      '2301',
      '2302',
      '2304',
      '2305',
      '2401',
      '2402',
      '2403',
      '2404',
      '2405',
      '2601',
      '3261',
      '3262',
      '9001',
      '9002',
    ];
    const readOnly = [
      '1101',
      '2001',
      '2206',
      '2303',
      '3201',
      '3202',
      '3260',
      '5201',
      '5202',
      '5203',
      '5204',
      '5205',
      '9101',
      '9102',
      '1301',
      '1305',
      '1312',
      '1318',
      '1319',
    ];
    for (const infno of stateChanging) expect(isStateChanging(infno), infno).toBe(true);
    for (const infno of readOnly) expect(TRANSACTION_KINDS[infno]?.kind, infno).toBe('read-only');
  });

  it('names each movement’s own cancel', () => {
    expect(TRANSACTION_KINDS['2201']?.undoneBy).toEqual(['2202']);
    expect(TRANSACTION_KINDS['2207']?.undoneBy).toEqual(['2208']);
    expect(TRANSACTION_KINDS['2304']?.undoneBy).toEqual(['2305']);
    for (const info of Object.values(TRANSACTION_KINDS))
      for (const cancel of info.undoneBy ?? []) expect(isStateChanging(cancel)).toBe(true);
  });

  it('defaults the reversible list to state-changing transactions the simulated centre can reverse', () => {
    expect(DEFAULT_REVERSIBLE_INFNOS).toEqual(['2207', '2208', '2304', '2305', '2401']);
    for (const infno of DEFAULT_REVERSIBLE_INFNOS) {
      expect(isStateChanging(infno)).toBe(true);
      expect(REVERSIBLE_BY_CENTRE).toContain(infno);
    }
  });

  it('covers every transaction the simulated centre answers', () => {
    for (const infno of SUPPORTED_INFNOS) expect(TRANSACTION_KINDS[infno], infno).toBeDefined();
  });
});
