import type { Migration } from './migration';

/**
 * The e-bill sweep's re-issues IT asked for: read by state alone they walked every refused bill ever kept (a refused
 * bill stays so until someone asks again, or for good once its order is refunded). A partial index of the asks holds
 * only those not yet sent: empty most of the time.
 */
export const m038EBillsReissueAsked: Migration = {
  version: 38,
  name: 'e-bills: partial index of the re-issues IT asked for',
  sql: `
    CREATE INDEX ebills_reissue_asked ON ebills (state) WHERE reissue_asked_at IS NOT NULL;
  `,
};
