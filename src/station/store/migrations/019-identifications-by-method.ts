import type { Migration } from './migration';

/**
 * Issue 13, item 6 (DQ-05): the e-voucher report reads a date range of identifications by method; this index makes
 * it a range scan, not a walk of a year of identifications. 019 and 020 are other branches' numbers.
 */
export const m019IdentificationsByMethod: Migration = {
  version: 19,
  name: 'identifications by method and time',
  sql: `CREATE INDEX identifications_by_method_at ON identifications(method, at);`,
};
