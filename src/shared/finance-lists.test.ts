/** Which rows of a finance list this station may act on (Del, F9): its own, and every row of its own list (本站). */
import { describe, expect, it } from 'vitest';
import { elsewhereNotice, heldElsewhere } from './finance-lists';

describe('a finance row held by another station', () => {
  it('全院: another station’s row names that station; this station’s does not', () => {
    const page = { source: 'hospital', here: 'W01' } as const;
    expect(heldElsewhere({ stationId: 'W02' }, page)).toBe('W02');
    expect(heldElsewhere({ stationId: 'W01' }, page)).toBeNull();
  });

  it('本站: every row is this station’s to act on', () => {
    expect(heldElsewhere({ stationId: 'W02' }, { source: 'station', here: 'W01' })).toBeNull();
  });

  it('the screen says where the row is, in Chinese', () => {
    expect(elsewhereNotice('W07')).toBe('不在本站：该记录在工作站 W07，请到该工作站撤销或补打');
  });
});
