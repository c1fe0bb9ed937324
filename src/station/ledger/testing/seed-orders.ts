/**
 * Orders written straight into a station database for the lists' tests and benchmark: thousands in a second,
 * sealed as the station seals them (persons, care and items), every field a pure function of the order's number
 * so a test can compute what a filter must return without asking the code under test.
 */
import type { OrderState } from '../../../shared/domain';
import type { PayChannel } from '../../../shared/ledger';
import type { FieldCipher } from '../../security';
import { personNameIndex, type Db } from '../../store';

export const SEED_OPERATORS = ['sf001', 'sf002', 'sf003'] as const;
export const SEED_DOCTORS = ['李医生', '王医生', '赵医生', '陈医生'] as const;

export interface SeedPerson {
  psnNo: string;
  name: string;
  certNo: string;
}

/** ID numbers with a valid GB 11643 check character. */
export function seedPerson(n: number): SeedPerson {
  const body = `35020319900${1 + (Math.floor(n / 28_000) % 9)}${String(1 + (Math.floor(n / 1_000) % 28)).padStart(2, '0')}${String(n % 1_000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * (weights[i] ?? 0), 0);
  return {
    psnNo: `P${String(n).padStart(8, '0')}`,
    name: `患者${['甲', '乙', '丙', '丁', '戊'][n % 5]}${n}`,
    certNo: body + '10X98765432'[sum % 11],
  };
}

export interface SeedOrder {
  id: string;
  person: number;
  operatorId: string;
  doctor: string;
  state: OrderState;
  selfPayOnly: boolean;
  totalFen: number;
  fundFen: number;
  accountFen: number;
  cashFen: number;
  channel: PayChannel | null;
  createdAt: string;
}

/** The i-th order: one every `stepMs` from `start`. */
export function seedOrder(i: number, start: Date, stepMs: number, persons: number): SeedOrder {
  const state: OrderState = i % 10 === 9 ? 'refunded' : i % 10 === 8 ? 'open' : 'completed';
  const selfPayOnly = i % 5 === 0;
  const totalFen = 1_000 + ((i * 7_919) % 50_000);
  const fundFen = selfPayOnly || state === 'open' ? 0 : Math.floor(totalFen * 0.6);
  const accountFen = selfPayOnly || state === 'open' ? 0 : Math.floor(totalFen * 0.1);
  const cashFen = state === 'open' ? 0 : totalFen - fundFen - accountFen;
  return {
    id: `o-${String(i).padStart(7, '0')}`,
    person: i % persons,
    operatorId: SEED_OPERATORS[i % SEED_OPERATORS.length] ?? 'sf001',
    doctor: SEED_DOCTORS[i % SEED_DOCTORS.length] ?? '',
    state,
    selfPayOnly,
    totalFen,
    fundFen,
    accountFen,
    cashFen,
    channel: cashFen > 0 ? (['alipay', 'alipay', 'alipay', 'cash', 'card', 'wechat', 'wechat'] as const)[i % 7]! : null,
    createdAt: new Date(start.getTime() + i * stepMs).toISOString(),
  };
}

export function seedOrders(db: Db, cipher: FieldCipher, opts: { count: number; start: Date; stepMs: number; persons: number }): void {
  const now = opts.start.toISOString();
  // A sealed value is not bound to its row: a few per doctor stand for every order's (sealing 100,000 takes long).
  const care = new Map<string, string>(SEED_DOCTORS.map((d) => [d, cipher.sealJson({ doctorName: d, deptCode: 'A01', deptName: '内科' })]));
  const item = cipher.sealJson({ hisItemCode: 'H1', medListCodg: 'X1', name: '阿莫西林胶囊', spec: '0.25g*24', unit: '盒' });
  db.transaction(() => {
    const op = db.prepare(
      `INSERT OR IGNORE INTO operators (id, name, role, roles, password_hash, created_at) VALUES (?, ?, 'cashier', 'cashier', 'x', ?)`,
    );
    for (const id of SEED_OPERATORS) op.run(id, id, now);
    const person = db.prepare('INSERT INTO persons (psn_no, certno_index, name_index, sealed, updated_at) VALUES (?, ?, ?, ?, ?)');
    const ident = db.prepare(
      `INSERT INTO identifications (id, at, operator_id, method, cert_type, psn_no, insuplc_admdvs, msgid) VALUES (?, ?, 'sf001', 'idcard', '02', ?, '350200', 'm')`,
    );
    for (let n = 0; n < opts.persons; n++) {
      const p = seedPerson(n);
      person.run(p.psnNo, cipher.blindIndex(p.certNo), personNameIndex(cipher, p.name), cipher.sealJson(p), now);
      ident.run(`i-${n}`, now, p.psnNo);
    }
    const order = db.prepare(
      `INSERT INTO outpatient_orders (id, his_order_no, identification_id, psn_no, insutype, insuplc_admdvs, cert_sealed, operator_id,
         care_sealed, state, total_fen, fund_fen, account_fen, cash_fen, settle_mode, created_at, updated_at, completed_at)
       VALUES (?, ?, ?, ?, '310', '350200', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const line = db.prepare(
      `INSERT INTO outpatient_order_lines (order_id, seq, feedetl_sn, his_item_code, med_list_codg, name, item_sealed, quantity, unit_price_fen, amount_fen, charge_level)
       VALUES (?, ?, ?, '', '', '', ?, '1', ?, ?, '01')`,
    );
    const payment = db.prepare(
      `INSERT INTO payments (id, order_id, mode, channel, out_trade_no, amount_fen, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < opts.count; i++) {
      const o = seedOrder(i, opts.start, opts.stepMs, opts.persons);
      const p = seedPerson(o.person);
      const settled = o.state !== 'open';
      order.run(
        o.id,
        `H${o.id}`,
        `i-${o.person}`,
        p.psnNo,
        o.operatorId,
        care.get(o.doctor) ?? null,
        o.state,
        o.totalFen,
        o.selfPayOnly || !settled ? null : o.fundFen,
        o.selfPayOnly || !settled ? null : o.accountFen,
        o.selfPayOnly || !settled ? null : o.cashFen,
        o.selfPayOnly ? 'self-pay' : 'insurance',
        o.createdAt,
        o.createdAt,
        settled ? o.createdAt : null,
      );
      line.run(o.id, 1, `${o.id}-1`, item, o.totalFen, o.totalFen);
      if (o.channel)
        payment.run(
          `pay-${o.id}`,
          o.id,
          o.channel === 'cash' || o.channel === 'card' ? o.channel : 'micropay',
          o.channel,
          `T${o.id}`,
          o.cashFen,
          o.state === 'refunded' ? 'refunded' : 'paid',
          o.createdAt,
          o.createdAt,
        );
    }
  })();
}
