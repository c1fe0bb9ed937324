import type { Migration } from './migration';

/**
 * Outpatient clinic-room / window settlement (HX-08..35): the HIS order, its lines, the insurance steps and
 * the self-pay payments. Amounts are INTEGER fen. Outputs the centre cannot be asked for again later (2204
 * per-line results, 2207 settlement — ZS-06, cross-province) are kept sealed for slips and invoices.
 */
export const m003Outpatient: Migration = {
  version: 3,
  name: 'outpatient orders, lines, insurance steps and payments',
  sql: `
    CREATE TABLE outpatient_orders (
      id                TEXT PRIMARY KEY,
      his_order_no      TEXT NOT NULL UNIQUE,
      identification_id TEXT NOT NULL REFERENCES identifications(id),
      psn_no            TEXT NOT NULL,
      insutype          TEXT NOT NULL,
      insuplc_admdvs    TEXT NOT NULL,
      cert_sealed       TEXT NOT NULL,             -- mdtrt_cert_type/no (an ecToken is a credential)
      operator_id       TEXT NOT NULL REFERENCES operators(id),
      doctor_name       TEXT NOT NULL DEFAULT '',
      dept_code         TEXT NOT NULL DEFAULT '',
      dept_name         TEXT NOT NULL DEFAULT '',
      state             TEXT NOT NULL,
      total_fen         INTEGER NOT NULL,
      mdtrt_id          TEXT,                      -- 2201
      chrg_bchno        TEXT,                      -- our fee batch number for 2204/2205
      setl_id           TEXT,                      -- 2207
      fund_fen          INTEGER,
      pool_fen          INTEGER,
      account_fen       INTEGER,
      cash_fen          INTEGER,
      deductible_fen    INTEGER,
      balance_after_fen INTEGER,
      fee_results_sealed TEXT,                     -- 2204 output
      settlement_sealed TEXT,                      -- 2206/2207 output
      pay_before        TEXT,
      detail            TEXT NOT NULL DEFAULT '',
      created_at        TEXT NOT NULL,
      updated_at        TEXT NOT NULL
    ) STRICT;
    CREATE INDEX outpatient_orders_by_state ON outpatient_orders(state);

    CREATE TABLE outpatient_order_lines (
      order_id         TEXT NOT NULL REFERENCES outpatient_orders(id),
      seq              INTEGER NOT NULL,
      feedetl_sn       TEXT NOT NULL,
      his_item_code    TEXT NOT NULL,
      med_list_codg    TEXT NOT NULL,
      name             TEXT NOT NULL,
      spec             TEXT NOT NULL DEFAULT '',
      unit             TEXT NOT NULL DEFAULT '',
      quantity         TEXT NOT NULL,              -- decimal text: quantities are not money, kept exact as given
      unit_price_fen   INTEGER NOT NULL,
      amount_fen       INTEGER NOT NULL,
      charge_level     TEXT NOT NULL DEFAULT '',
      rx_no            TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (order_id, seq)
    ) STRICT;

    CREATE TABLE payments (
      id            TEXT PRIMARY KEY,
      order_id      TEXT NOT NULL REFERENCES outpatient_orders(id),
      mode          TEXT NOT NULL CHECK (mode IN ('micropay','precreate')),
      channel       TEXT NOT NULL,                 -- wechat / alipay / unknown until paid
      out_trade_no  TEXT NOT NULL UNIQUE,
      amount_fen    INTEGER NOT NULL,
      state         TEXT NOT NULL,                 -- pending / paid / failed / reversed / closed / refunded
      transaction_id TEXT,
      created_at    TEXT NOT NULL,
      updated_at    TEXT NOT NULL
    ) STRICT;
    CREATE INDEX payments_by_order ON payments(order_id);

    -- The certificate an identification used (an ecToken is a short-lived credential): sealed, for the later
    -- calls of the same visit (2201/2206/2207 carry mdtrt_cert_type/no).
    ALTER TABLE identifications ADD COLUMN cert_sealed TEXT;
  `,
};
