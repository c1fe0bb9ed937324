/**
 * The outbox's view of an after-restore discrepancy: an intent that only a person closes. It is created
 * escalated and never sent, queried or undone by the station — the settlement belongs to a patient the restored
 * database does not know; "happened" / "did not happen" only records the person's finding.
 */
import { z } from 'zod';
import type { Movement } from '../outbox';

export const RESTORE_DISCREPANCY_KIND = 'restore.centre-only';
const BY_HAND = '恢复备份后核对项：只能由人工与 HIS、财务核对后处理';

export const restoreDiscrepancyMovement: Movement = {
  kind: RESTORE_DISCREPANCY_KIND,
  payload: z.object({ region: z.string(), row: z.object({ setlId: z.string() }).loose() }).loose(),
  onUnknown: 'query',
  send: () => Promise.resolve({ kind: 'unknown', detail: BY_HAND }),
  query: () => Promise.resolve({ kind: 'unknown', detail: BY_HAND }),
  compensate: () => Promise.resolve({ kind: 'rejected', detail: BY_HAND }),
  newCompensationId: () => {
    throw new Error(BY_HAND);
  },
  settle: () => {},
};
