/**
 * Fuzz: 10,000+ malformed answers each from the NHSA centre, HIS and the payment platform (seeded: test/harness/junk.ts)
 * → every call resolves (no throw, no unhandled rejection) with a well-formed outcome, and no damaged answer is
 * taken for a success: a non-2xx status or a redirect is always unknown, a 2207 answer for another visit is never ok.
 *
 * Where the cases go in: the bulk is fed to each client's decoding layer directly — the NHSA client through its
 * transport seam (the HTTP reply: status and body), HIS and the payment platform through `fetch` (a Response with
 * status, content type and body, so redirect handling and the size cap run too) — because a socket per case would
 * take minutes. A sample of each (300) goes over real HTTP on 127.0.0.1. Some junk is signed correctly (the centre's
 * SM2 key, HIS's and the platform's HMAC keys) so that the decoders behind the signature check are reached.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Junk, junkResponse, seeded } from '../../test/harness/junk';
import { sm2GenerateKeyPair, sm2Sign, sm4EncryptEcb, toBase64, utf8 } from './crypto';
import { HisClient, type HisOutcome } from './his';
import { hisSignature } from './his/sign';
import { MemoryMsgIdAllocator, NhsaClient, settleOutpatient, type HttpReply, type NhsaOutcome, type SettlementInput } from './nhsa';
import { PayChannelClient, signPlatformFields, type PayOutcome } from './pay-channel';

const CASES = 10_000;
/** Throughput-bound work, not a timing: on a loaded 2-core machine 10,000 cases can take far longer than the default. */
const FUZZ = { timeout: 180_000 };
const HTTP_SAMPLE = 300;
const CODE = 'H35020300001';
const REGION = '350200';
const CLIENT_ID = 'FUZZCLIENT000001';
const HIS_SECRET = 'his-secret-0123456789';
const PAY_KEY = 'pay-key-0123456789abcdef';
const ctx = { operator: { opter: 'sf001', opterName: '收费员甲', opterType: '1' as const } };
const SETTLE: SettlementInput = {
  psn_no: 'P001',
  mdtrt_cert_type: '02',
  mdtrt_cert_no: '350203199001010011',
  med_type: '11',
  medfee_sumamt: 5300 as SettlementInput['medfee_sumamt'],
  psn_setlway: '01',
  mdtrt_id: 'MDTRT-B',
  chrg_bchno: 'B1',
  insutype: '310',
  acct_used_flag: '1',
};

type Outcome = NhsaOutcome<unknown> | HisOutcome<unknown> | PayOutcome<unknown>;

/** A well-formed outcome of any of the three clients. */
function expectWellFormed(o: Outcome): void {
  expect(['ok', 'rejected', 'unknown']).toContain(o.kind);
  expect(typeof (o.kind === 'unknown' ? o.detail : '')).toBe('string');
}

/** Collects a run: outcomes by kind, and the cases whose status alone makes them unknown but came out otherwise. */
function tally() {
  const kinds = { ok: 0, rejected: 0, unknown: 0 };
  const notUnknown: number[] = [];
  let statusCases = 0;
  return {
    add(i: number, statusIsAnAnswer: boolean, o: Outcome): void {
      expectWellFormed(o);
      kinds[o.kind]++;
      if (statusIsAnAnswer) return;
      statusCases++;
      if (o.kind !== 'unknown') notUnknown.push(i);
    },
    /** Every bad-status case was unknown, and there were such cases. */
    check(): typeof kinds {
      expect(notUnknown).toEqual([]);
      expect(statusCases).toBeGreaterThan(0);
      return kinds;
    },
  };
}

const is2xx = (status: number) => status >= 200 && status <= 299;

let server: http.Server;
let serverUrl = '';
/** What the 127.0.0.1 server answers next: status, content type and body. */
const queue: { status: number; contentType: string; body: string | Uint8Array }[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    const next = queue.shift() ?? { status: 500, contentType: '', body: '' };
    const headers: Record<string, string> = next.contentType ? { 'content-type': next.contentType } : {};
    if (next.status >= 300 && next.status < 400) headers.location = 'http://127.0.0.1:9/elsewhere';
    const noBody = next.status === 204 || next.status === 304;
    res.writeHead(next.status, headers).end(noBody ? undefined : next.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const asText = (body: string | Uint8Array) => (typeof body === 'string' ? body : Buffer.from(body).toString('latin1'));

describe('NHSA centre answers', FUZZ, () => {
  const centre = sm2GenerateKeyPair();
  const station = sm2GenerateKeyPair();
  const j = new Junk(seeded(2207));
  const refmsgid = () => `${REGION}${String(j.int(1e12)).padStart(24, '0')}`;
  /** A real-looking 2207 answer — for another visit (MDTRT-A), as a replay would be. */
  const setlinfo = () => ({
    setl_id: 'S1',
    mdtrt_id: j.chance(0.8) ? 'MDTRT-A' : 'MDTRT-B',
    psn_no: 'P001',
    insutype: '310',
    medfee_sumamt: '53.00',
    fund_pay_sumamt: '30.00',
    acct_pay: '13.00',
    psn_cash_pay: '10.00',
    psn_part_amt: '23.00',
    hifp_pay: '30.00',
    balc: '100.00',
    medins_setl_id: 'OTHER-MSGID',
  });
  // A pool of outputs the centre's key really signed (SM2 is slow in pure JS: signed once, reused).
  const signedPool = Array.from({ length: 40 }, () => {
    const output = j.chance(0.5) ? { setlinfo: setlinfo(), setldetail: [] } : j.value(3);
    const text = j.chance(0.1) ? '' : JSON.stringify(output);
    return {
      cainfo: toBase64(sm2Sign(text, centre.privateKeyHex)),
      output: text === '' ? undefined : toBase64(sm4EncryptEcb(utf8.encode(CLIENT_ID), utf8.encode(text))),
    };
  });

  function nextAnswer(): { status: number; body: string | Uint8Array; contentType: string } {
    const status = j.status();
    const contentType = j.contentType();
    const signed = j.pick(signedPool);
    const good = {
      infcode: j.pick([0, 0, '0', -1, 1]),
      inf_refmsgid: refmsgid(),
      err_msg: j.text().slice(0, 50),
      signtype: 'SM2',
      ...signed,
    };
    if (j.chance(0.25)) return { status, contentType, body: JSON.stringify(good) }; // signed, intact envelope
    if (j.chance(0.1)) return { status, contentType, body: JSON.stringify({ ...good, cainfo: j.pick(signedPool).cainfo }) }; // wrong signature
    return { status, contentType, ...j.damage(good) };
  }

  function clientWith(transport?: { post: () => Promise<HttpReply> }) {
    return new NhsaClient(
      {
        baseUrl: serverUrl || 'http://127.0.0.1:9',
        urlStyle: 'per-infno',
        profile: 'sm',
        institution: { code: CODE, name: '模拟医院', admdvs: REGION },
        centreRegion: REGION,
        recerSysCode: 'FUZZ',
        timeoutMs: 5_000,
        clientId: CLIENT_ID,
        stationPrivateKeyHex: station.privateKeyHex,
        centrePublicKeyHex: centre.publicKeyHex,
      },
      { msgids: new MemoryMsgIdAllocator(CODE), ...(transport ? { transport } : {}) },
    );
  }

  it(`${CASES} malformed 2207 answers at the decoding layer: none is ok, non-2xx is always unknown`, async () => {
    let reply: HttpReply = { kind: 'answered', status: 200, body: '' };
    const client = clientWith({ post: () => Promise.resolve(reply) });
    const run = tally();
    for (let i = 0; i < CASES; i++) {
      const a = nextAnswer();
      reply = { kind: 'answered', status: a.status, body: asText(a.body) };
      run.add(i, is2xx(a.status), await settleOutpatient(client, ctx, SETTLE));
    }
    const kinds = run.check();
    expect(kinds.ok).toBe(0);
    expect(kinds.unknown).toBeGreaterThan(CASES / 2);
  });

  it(`${HTTP_SAMPLE} of them over real HTTP on 127.0.0.1 (content types, redirects, the size cap)`, async () => {
    const client = clientWith();
    const run = tally();
    for (let i = 0; i < HTTP_SAMPLE; i++) {
      const a = nextAnswer();
      queue.push(a);
      run.add(i, is2xx(a.status), await settleOutpatient(client, ctx, SETTLE));
    }
    expect(run.check().ok).toBe(0);
  });
});

describe('HIS answers', FUZZ, () => {
  const j = new Junk(seeded(25));
  function nextAnswer() {
    const good: Record<string, unknown> = {
      code: j.pick(['SUCCESS', 'SUCCESS', 'ORDER_NOT_FOUND', 'SYSTEM_ERROR', '']),
      msg: j.text().slice(0, 40),
      service: j.chance(0.8) ? 'order.get' : 'settle.get',
      request_id: j.chance(0.8) ? 'REQ1' : 'REQ2',
      biz_content: j.chance(0.5) ? JSON.stringify(j.value(3)) : j.value(2),
    };
    if (j.chance(0.5)) good.sign = hisSignature(good, HIS_SECRET); // signed junk reaches the decoders
    return { status: j.status(), contentType: j.contentType(), ...j.damage(good) };
  }
  const his = (fetchFn: typeof fetch) =>
    new HisClient(
      { baseUrl: serverUrl || 'http://127.0.0.1:9', appId: 'STATION', appSecret: HIS_SECRET, timeoutMs: 5_000 },
      { fetch: fetchFn, requestId: () => 'REQ1' },
    );

  it(`${CASES} malformed answers through fetch: every call resolves well-formed; non-200 is unknown`, async () => {
    let next = nextAnswer();
    const client = his(() => Promise.resolve(junkResponse(next.status, next.contentType, next.body)));
    const run = tally();
    for (let i = 0; i < CASES; i++) {
      next = nextAnswer();
      run.add(i, next.status === 200, await client.order('MZ1'));
    }
    run.check();
  });

  it(`${HTTP_SAMPLE} over real HTTP on 127.0.0.1`, async () => {
    const client = his(fetch);
    const run = tally();
    for (let i = 0; i < HTTP_SAMPLE; i++) {
      const a = nextAnswer();
      queue.push(a);
      run.add(i, a.status === 200, await client.order('MZ1'));
    }
    run.check();
  });
});

describe('payment platform answers', FUZZ, () => {
  const j = new Junk(seeded(1900000109));
  function nextAnswer() {
    const good: Record<string, unknown> = {
      return_code: j.pick(['SUCCESS', 'SUCCESS', 'FAIL']),
      result_code: j.pick(['SUCCESS', 'FAIL', 'SYSTEMERROR', 'ORDERNOTEXIST']),
      mch_id: j.chance(0.9) ? '1900000109' : '1900000110',
      out_trade_no: j.chance(0.8) ? 'T1' : 'T2',
      trade_state: j.pick(['SUCCESS', 'NOTPAY', 'CLOSED', 'REFUND', 'PAYERROR', '']),
      total_fee: j.pick([5300, '5300', -1, 0.5, null]),
      transaction_id: j.text().slice(0, 32),
      nonce_str: 'n',
    };
    if (j.chance(0.5)) good.sign = signPlatformFields(good, PAY_KEY);
    return { status: j.status(), contentType: j.contentType(), ...j.damage(good) };
  }
  const pay = (fetchFn: typeof fetch) =>
    new PayChannelClient(
      { baseUrl: serverUrl || 'http://127.0.0.1:9', mchId: '1900000109', key: PAY_KEY, timeoutMs: 5_000 },
      { fetch: fetchFn },
    );

  it(`${CASES} malformed answers through fetch: every call resolves well-formed; non-200 is unknown`, async () => {
    let next = nextAnswer();
    const client = pay(() => Promise.resolve(junkResponse(next.status, next.contentType, next.body)));
    const run = tally();
    for (let i = 0; i < CASES; i++) {
      next = nextAnswer();
      run.add(i, next.status === 200, await client.query('T1'));
    }
    run.check();
  });

  it(`${HTTP_SAMPLE} over real HTTP on 127.0.0.1`, async () => {
    const client = pay(fetch);
    const run = tally();
    for (let i = 0; i < HTTP_SAMPLE; i++) {
      const a = nextAnswer();
      queue.push(a);
      run.add(i, a.status === 200, await client.query('T1'));
    }
    run.check();
  });
});
