/**
 * The patients' phones in the service's chaos run: HTTP clients signing as the hospital's app, each settling one
 * discharged stay — fees → pre-settlement → settle → result — through a service that is killed under them. A phone
 * retries what got no answer with the same Idempotency-Key (and the same body), as a real app must; some send the
 * settle twice on purpose, some stays are settled from two phones at once, some apply for a refund once paid (HIS's
 * booking cancelled first) and settle the stay again. What
 * each phone was finally told is kept: the books must agree with it.
 */
import { signedClient, type Answer, type SignedCall } from '../../src/service/testing/signed-client';

export interface PhonePlan {
  iptNo: string;
  idNo: string;
  /**
   * retry: the settle sent twice with one key; twin: a second phone settles the stay at the same moment; refund: once
   * paid (and booked at HIS, mostly), then the stay settled again on the phone.
   */
  kind: 'plain' | 'retry' | 'twin' | 'refund';
}

/** What a phone was told about a settlement, last. */
export type Told = 'paid' | 'failed' | 'refunded' | 'refund-refused' | 'unknown';

export interface PhoneOutcome {
  iptNo: string;
  /** settlement id -> what the phone was told last about it. */
  told: Map<string, Told>;
  /** The pay authorisations the patient gave for this stay (each attempt its own). */
  payAuthNos: string[];
  /** An answer that broke the contract (an idempotent replay differing, two phones both told "paid"...). */
  broken: string[];
  gaveUp: boolean;
  /** The last refusal to start a settlement (for the report of a stay never paid). */
  lastRefusal?: string;
}

const AT_HOSPITAL = { latitude: 24.4798, longitude: 118.0894, accuracyMeters: 30 };
/** Attempts at paying a stay whose settlement failed (a fault refused it): each a new authorisation and key. */
const ATTEMPTS = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function phones(o: {
  url: string;
  app: { appId: string; secret: string };
  /** The patient authorises on the phone (e-voucher): the centre's payAuthNo. */
  authorise: (idNo: string) => string;
  random: () => number;
  /** A phone still without a final answer after this long gives up (counted stuck). */
  patienceMs: number;
}) {
  const call = signedClient(o.url, o.app);
  let keys = 0;
  const newKey = (what: string) => `${what}-${String(++keys).padStart(6, '0')}-${Math.floor(o.random() * 1e9)}`;

  /** A request until it has an answer: no connection, a 5xx or "the same request is in progress" are asked again, unchanged. */
  async function send(c: SignedCall, deadline: number): Promise<Answer | null> {
    while (Date.now() < deadline) {
      try {
        const a = await call(c);
        const code = (a.body as { error?: { code?: string } }).error?.code;
        if (a.status < 500 && code !== 'IDEMPOTENCY_IN_PROGRESS' && code !== 'RATE_LIMITED') return a;
      } catch {
        // the service is down (killed): the same request again once it is back
      }
      await sleep(150 + Math.floor(o.random() * 150));
    }
    return null;
  }

  const stateOf = (a: Answer) => (a.body as { state?: string; settlementId?: string }).state;
  const idOf = (a: Answer) => (a.body as { settlementId?: string }).settlementId;

  /** The settlement's result until it is final (paid, failed, refunded): each look a GET (6301 behind it). */
  async function final(id: string, deadline: number): Promise<string | null> {
    while (Date.now() < deadline) {
      const a = await send({ method: 'GET', path: `/v1/inpatient/settlements/${id}` }, deadline);
      if (!a) return null;
      const s = stateOf(a);
      if (s === 'paid' || s === 'failed' || s === 'refunded') return s;
      await sleep(200);
    }
    return null;
  }

  async function settleOnce(p: PhonePlan, out: PhoneOutcome, deadline: number): Promise<'paid' | 'failed' | 'busy' | null> {
    const payAuthNo = o.authorise(p.idNo);
    out.payAuthNos.push(payAuthNo);
    const face = { passed: true, certifyId: `FACE${keys}`, verifiedAt: new Date().toISOString() };
    const body = { payAuthNo, security: { face, location: AT_HOSPITAL } };
    const settle = (key: string) =>
      send({ method: 'POST', path: `/v1/inpatient/stays/${p.iptNo}/settlements`, body, idempotencyKey: key }, deadline);
    const key = newKey('settle');
    const twin = p.kind === 'twin' ? settle(newKey('twin')) : Promise.resolve(null);
    const [first, second] = await Promise.all([settle(key), twin]);
    if (!first) return null;
    if (p.kind === 'retry') {
      // The app lost the answer and sends the same request again: the same answer, nothing paid twice.
      const again = await settle(key);
      if (!again) return null;
      if (again.status !== first.status || idOf(again) !== idOf(first))
        out.broken.push(`${p.iptNo}: the same key answered ${first.status}/${idOf(first)} then ${again.status}/${idOf(again)}`);
    }
    const started = [first, second].filter((a): a is Answer => a?.status === 201);
    if (p.kind === 'twin' && started.length === 2) out.broken.push(`${p.iptNo}: two phones both started a settlement`);
    const ids = started.map((a) => idOf(a)!);
    if (ids.length === 0) out.lastRefusal = JSON.stringify(first.body);
    if (ids.length === 0) {
      // 409: a settlement in force (the other phone's, or the one this key started before the service was killed
      // under it): the stay's settlement is asked for and followed, as the patient's page does.
      const live = await send({ method: 'GET', path: `/v1/inpatient/stays/${p.iptNo}/settlement` }, deadline);
      if (!live) return null;
      const inForce = (live.body as { settlement: { settlementId: string } | null }).settlement;
      if (!inForce) return 'busy';
      ids.push(inForce.settlementId);
    }
    let result: 'paid' | 'failed' | 'busy' = 'failed';
    for (const id of ids) {
      const s = await final(id, deadline);
      if (!s) return null;
      out.told.set(id, s === 'paid' ? 'paid' : 'failed');
      if (s === 'paid') result = 'paid';
    }
    return result;
  }

  async function refund(p: PhonePlan, out: PhoneOutcome, deadline: number): Promise<boolean> {
    const paid = [...out.told].findLast(([, t]) => t === 'paid');
    if (!paid) return true;
    const [id] = paid;
    const a = await send(
      {
        method: 'POST',
        path: `/v1/inpatient/settlements/${id}/refund-applications`,
        body: { reason: '费用有误' },
        idempotencyKey: newKey('refund'),
      },
      deadline,
    );
    if (!a) return false;
    const s = await final(id, deadline);
    if (!s) return false;
    out.told.set(id, s === 'refunded' ? 'refunded' : 'refund-refused');
    return true;
  }

  /** False: no answer within the patience. */
  async function settleUntilPaid(p: PhonePlan, out: PhoneOutcome, deadline: number): Promise<boolean> {
    for (let failed = 0; failed < ATTEMPTS;) {
      const r = await settleOnce(p, out, deadline);
      if (r === null) return false;
      if (r === 'paid') return true;
      if (r === 'busy') await sleep(500);
      else failed += 1;
    }
    return true;
  }

  /** One stay's phone (or two): settled, or given up on after ATTEMPTS failures; a refund applied for if planned. */
  async function run(p: PhonePlan): Promise<PhoneOutcome> {
    const out: PhoneOutcome = { iptNo: p.iptNo, told: new Map(), payAuthNos: [], broken: [], gaveUp: false };
    const deadline = Date.now() + o.patienceMs;
    // The stay is settled on the phone once the centre has it (the nurse's 2401) and its fees are shown.
    for (;;) {
      const a = await send({ method: 'GET', path: `/v1/inpatient/stays/${p.iptNo}` }, deadline);
      if (!a) return { ...out, gaveUp: true };
      if ((a.body as { admittedAtCentre?: boolean }).admittedAtCentre) break;
      await sleep(300);
    }
    const shares = await send(
      { method: 'POST', path: `/v1/inpatient/stays/${p.iptNo}/pre-settlement`, body: {}, idempotencyKey: newKey('shares') },
      deadline,
    );
    if (!shares) return { ...out, gaveUp: true };
    // A refusal to start (409: the stay being discharged, in doubt after a kill) is asked again until the patience
    // runs out; only settlements that failed count as attempts.
    if (!(await settleUntilPaid(p, out, deadline))) return { ...out, gaveUp: true };
    if (p.kind !== 'refund') return out;
    if (!(await refund(p, out, deadline))) return { ...out, gaveUp: true };
    // Refunded: the stay is discharged and unsettled again at the station and HIS, and is settled afresh.
    if ([...out.told.values()].includes('refunded') && !(await settleUntilPaid(p, out, deadline))) return { ...out, gaveUp: true };
    return out;
  }

  return { run };
}
