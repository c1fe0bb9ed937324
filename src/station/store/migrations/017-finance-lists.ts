import type { Migration } from './migration';

/**
 * Issue 13, item 4: the finance lists beside the orders (registrations, payments, refunds) and the patient found
 * by name. A name is sealed at rest like the rest of the person, so it gets a keyed digest of its own
 * (`name_index`, written by PersonsRepo and filled in for older rows at start) — never a LIKE over clear text.
 * Each list filters a day range on its own time column: one index each. Numbered 017: 016 is another branch's.
 */
export const m017FinanceLists: Migration = {
  version: 17,
  name: 'finance lists: name blind index, registrations / payments / refunds by time',
  sql: `
    ALTER TABLE persons ADD COLUMN name_index TEXT;
    CREATE INDEX persons_by_name_index ON persons(name_index);
    CREATE INDEX intents_by_kind_created ON intents(kind, created_at);
    CREATE INDEX payments_by_created ON payments(created_at);
    CREATE INDEX refunds_by_created ON refunds(created_at);
  `,
};
