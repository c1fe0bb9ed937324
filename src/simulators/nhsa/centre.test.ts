// The centre is exercised here with a hand-made station built on `sm-crypto` (not the simulator's
// sm-crypto-v2, not the client's code), so a mistake shared by both sides of the simulator cannot hide.
import Database from 'better-sqlite3';
import smCrypto from 'sm-crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentreWithFreshKeys, type CentreFixture } from './fixtures';
import { POPULATION } from './population';

const { sm2, sm4 } = smCrypto;

const CODE = 'H35020300001';
let serial = 0;

interface Answer {
  infcode: number;
  inf_refmsgid: string;
  refmsg_time: string;
  respond_time: string;
  err_msg: string;
  warn_msg: string;
  cainfo: string;
  signtype: string;
  output?: unknown;
}

class RawStation {
  constructor(
    readonly fx: CentreFixture,
    private readonly profile: 'sm' | 'plain' = 'sm',
  ) {}

  envelope(
    infno: string,
    input: unknown,
    opts: { signNo?: string; opter?: string; msgid?: string; clientId?: string; signWith?: string } = {},
  ) {
    const text = JSON.stringify(input);
    const key = Buffer.from(opts.clientId ?? this.fx.clientId, 'latin1');
    const sealed =
      this.profile === 'sm'
        ? {
            input: Buffer.from(sm4.encrypt(Buffer.from(text, 'utf8'), key, { output: 'array' }) as number[]).toString('base64'),
            cainfo: Buffer.from(
              sm2.doSignature(Buffer.from(text, 'utf8'), opts.signWith ?? this.fx.station.privateKeyHex, { hash: true, der: false }),
              'hex',
            ).toString('base64'),
            signtype: 'SM2',
            enc_type: 'SM4',
          }
        : { input, cainfo: '', signtype: '', enc_type: '' };
    serial += 1;
    return {
      infno,
      msgid: opts.msgid ?? `${CODE}20261122101530${String(serial).padStart(4, '0')}`,
      mdtrtarea_admvs: '350200',
      insuplc_admdvs: '',
      recer_sys_code: 'SIM',
      dev_no: '',
      dev_safe_info: '',
      infver: 'V1.0',
      opter_type: '1',
      opter: opts.opter ?? 'sf001',
      opter_name: '收费员甲',
      inf_time: '2026-11-22 10:15:30',
      fixmedins_code: CODE,
      fixmedins_name: '厦门市模拟医院',
      sign_no: opts.signNo ?? '',
      ...sealed,
    };
  }

  async post(infno: string, envelope: unknown, url = `${this.fx.centre.url}/${infno}`): Promise<{ status: number; text: string }> {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelope) });
    return { status: res.status, text: await res.text() };
  }

  async call(infno: string, input: unknown, opts: Parameters<RawStation['envelope']>[2] = {}): Promise<Answer> {
    const { status, text } = await this.post(infno, this.envelope(infno, input, opts));
    expect(status).toBe(200);
    return JSON.parse(text) as Answer;
  }

  /** Decrypts the output and checks the centre's signature over it (over "" when there is none). */
  open(answer: Answer): { verified: boolean; output: unknown } {
    if (this.profile === 'plain') return { verified: answer.cainfo === '', output: answer.output };
    const text =
      typeof answer.output === 'string'
        ? (sm4.decrypt(Buffer.from(answer.output, 'base64'), Buffer.from(this.fx.clientId, 'latin1'), { output: 'array' }) as number[])
        : [];
    const plain = Buffer.from(text).toString('utf8');
    const verified = sm2.doVerifySignature(
      Buffer.from(plain, 'utf8'),
      Buffer.from(answer.cainfo, 'base64').toString('hex'),
      this.fx.centrePublicKeyHex,
      {
        hash: true,
        der: false,
      },
    );
    return { verified, output: plain === '' ? undefined : JSON.parse(plain) };
  }

  async signIn(opter = 'sf001'): Promise<string> {
    const answer = await this.call('9001', { signIn: { opter_no: opter, mac: '00-16-3E-00-00-01', ip: '10.1.2.3' } }, { opter });
    expect(answer.infcode).toBe(0);
    return (this.open(answer).output as { signinoutb: { sign_no: string } }).signinoutb.sign_no;
  }

  async voucher(qr: string, orgId = CODE): Promise<{ code: number; message: string; data?: string }> {
    const res = await fetch(`${this.fx.centre.voucherUrl}/ec/query`, {
      method: 'POST',
      body: JSON.stringify({
        transType: 'ec.query',
        orgId,
        data: { orgId, businessType: '01101', operatorId: 'sf001', operatorName: '收费员甲', ecQrCode: qr },
      }),
    });
    return (await res.json()) as { code: number; message: string; data?: string };
  }
}

const byIdCard = (idNo: string) => ({
  data: { mdtrt_cert_type: '02', mdtrt_cert_no: idNo, card_sn: '', begntime: '', psn_cert_type: '01', certno: idNo, psn_name: '' },
});

let clock = new Date('2026-11-22T02:15:30Z');
let fx: CentreFixture;
let station: RawStation;

beforeEach(async () => {
  clock = new Date('2026-11-22T02:15:30Z');
  fx = await startCentreWithFreshKeys({ now: () => clock });
  station = new RawStation(fx);
});
afterEach(async () => {
  await fx.centre.close();
});

describe('answers', () => {
  it('carry every envelope field; the output is encrypted and signed by the centre', async () => {
    const signNo = await station.signIn();
    const answer = await station.call('1101', byIdCard('350203196804122036'), { signNo });
    expect(answer.infcode).toBe(0);
    expect(answer.inf_refmsgid).toMatch(/^350200\d{14}\d{10}$/);
    expect(answer.inf_refmsgid.slice(6, 20)).toBe('20261122101530');
    expect(answer.refmsg_time).toMatch(/^20261122101530\d{3}$/);
    expect(answer.respond_time).toMatch(/^\d{17}$/);
    expect(answer.signtype).toBe('SM2');
    expect(typeof answer.output).toBe('string');
    const opened = station.open(answer);
    expect(opened.verified).toBe(true);
    expect(opened.output).toMatchObject({
      baseinfo: { psn_no: '35020000000000000101', psn_name: '陈建国', certno: '350203196804122036', gend: '1', age: 58 },
      insuinfo: [{ balc: 3256.78, insutype: '310', insuplc_admdvs: '350200', psn_insu_stas: '1' }],
    });
  });

  it('sign business errors too, over the empty text', async () => {
    const answer = await station.call('1101', byIdCard('350203196804122036'));
    expect(answer).toMatchObject({ infcode: -1, err_msg: '签到流水号无效' });
    expect(answer.output).toBeUndefined();
    expect(station.open(answer).verified).toBe(true);
  });
});

describe('request authentication', () => {
  it('rejects a request signed with another key and changes nothing', async () => {
    const intruder = sm2.generateKeyPairHex();
    const answer = await station.call(
      '9001',
      { signIn: { opter_no: 'sf001', mac: '', ip: '10.1.2.3' } },
      { signWith: intruder.privateKey },
    );
    expect(answer).toMatchObject({ infcode: -1, err_msg: '签名验证失败' });
    expect(fx.centre.control.messages()).toEqual([]);
    expect(fx.centre.control.requests()).toMatchObject([{ infno: '9001', verified: false, infcode: -1 }]);
  });

  it('rejects input encrypted with another key', async () => {
    const answer = await station.call('9001', { signIn: { opter_no: 'sf001', mac: '', ip: '10.1.2.3' } }, { clientId: 'OTHERCLIENT00001' });
    expect(answer).toMatchObject({ infcode: -1, err_msg: '报文解密失败' });
    expect(fx.centre.control.messages()).toEqual([]);
  });

  it('rejects an unencrypted input in the sm profile', async () => {
    const env = { ...station.envelope('9001', {}), input: { signIn: { opter_no: 'sf001', ip: '1' } } };
    const answer = JSON.parse((await station.post('9001', env)).text) as Answer;
    expect(answer).toMatchObject({ infcode: -1, err_msg: '报文解密失败' });
  });

  it('rejects a request whose signature covers different text than the input', async () => {
    const env = station.envelope('9001', { signIn: { opter_no: 'sf001', mac: '', ip: '10.1.2.3' } });
    const other = station.envelope('9001', { signIn: { opter_no: 'sf002', mac: '', ip: '10.1.2.3' } });
    const answer = JSON.parse((await station.post('9001', { ...env, cainfo: other.cainfo })).text) as Answer;
    expect(answer).toMatchObject({ infcode: -1, err_msg: '签名验证失败' });
  });

  it('rejects envelopes with missing fields, naming them', async () => {
    const { dev_no: _dev, opter_name: _name, ...partial } = station.envelope('9001', {});
    const answer = JSON.parse((await station.post('9001', partial)).text) as Answer;
    expect(answer.infcode).toBe(-1);
    expect(answer.err_msg).toContain('dev_no');
    expect(answer.err_msg).toContain('opter_name');
  });

  it('answers a repeated msgid with the original answer, and refuses it for another transaction or input', async () => {
    const signNo = await station.signIn();
    const msgid = `${CODE}202611221015309999`;
    const first = await station.call('1101', byIdCard(POPULATION[0]!.idNo), { signNo, msgid });
    expect(first.infcode).toBe(0);
    // A retry after a lost answer: same msgid, same transaction, same input -> the same answer, nothing new recorded.
    const again = await station.call('1101', byIdCard(POPULATION[0]!.idNo), { signNo, msgid });
    expect(again).toMatchObject({ infcode: 0, inf_refmsgid: first.inf_refmsgid });
    expect(station.open(again)).toEqual(station.open(first));
    expect(fx.centre.control.messages().filter((m) => m.msgid === msgid)).toHaveLength(1);
    expect(fx.centre.control.requests().at(-1)).toMatchObject({ msgid, replayed: true });

    expect(await station.call('1101', byIdCard(POPULATION[1]!.idNo), { signNo, msgid })).toMatchObject({
      err_msg: '发送方报文ID重复，且报文内容与原报文不一致',
    });
    expect(await station.call('9001', { signIn: { opter_no: 'sf001', mac: '', ip: '10.1.2.3' } }, { msgid })).toMatchObject({
      infcode: -1,
      err_msg: '发送方报文ID重复',
    });
  });

  it('rejects a malformed msgid and an infno that differs from the URL', async () => {
    const signNo = await station.signIn();
    const msgid = `${CODE}202611221015309999`;
    expect(await station.call('1101', byIdCard(POPULATION[0]!.idNo), { signNo, msgid: `X${msgid.slice(1)}` })).toMatchObject({
      err_msg: '发送方报文ID格式错误',
    });
    const env = station.envelope('1101', byIdCard(POPULATION[0]!.idNo), { signNo });
    expect(JSON.parse((await station.post('9001', env)).text)).toMatchObject({ err_msg: '交易编号与请求地址不一致' });
  });

  it('accepts the single-URL style', async () => {
    const env = station.envelope('9001', { signIn: { opter_no: 'sf001', mac: '', ip: '10.1.2.3' } });
    expect(JSON.parse((await station.post('9001', env, fx.centre.url)).text)).toMatchObject({ infcode: 0 });
  });
});

describe('sign-in (9001 / 9002)', () => {
  it('gives one 30-character sign_no per operator per day and records it', async () => {
    const first = await station.signIn('sf001');
    expect(first).toMatch(/^20261122101530350200\d{10}$/);
    expect(await station.signIn('sf001')).toBe(first);
    expect(await station.signIn('sf002')).not.toBe(first);
    expect(fx.centre.control.messages().map((m) => m.infno)).toEqual(['9001', '9001', '9001']);
  });

  it('requires a valid sign_no of today for that operator for business calls', async () => {
    const input = byIdCard(POPULATION[0]!.idNo);
    const mine = await station.signIn('sf001');
    expect((await station.call('1101', input, { signNo: mine })).infcode).toBe(0);
    expect(await station.call('1101', input, { signNo: mine, opter: 'sf002' })).toMatchObject({ err_msg: '签到流水号无效' });
    expect(await station.call('1101', input, { signNo: 'X'.repeat(30) })).toMatchObject({ err_msg: '签到流水号无效' });

    clock = new Date('2026-11-22T16:00:01Z'); // 00:00:01 the next day in Beijing
    expect(await station.call('1101', input, { signNo: mine })).toMatchObject({ err_msg: '签到流水号无效' });
    const tomorrow = await station.signIn('sf001');
    expect(tomorrow).not.toBe(mine);
    expect((await station.call('1101', input, { signNo: tomorrow })).infcode).toBe(0);
  });

  it('9002 closes the sign-in; afterwards it is invalid and 9001 issues a new one', async () => {
    const signNo = await station.signIn('sf001');
    const out = await station.call('9002', { signOut: { sign_no: signNo, opter_no: 'sf001' } }, { signNo });
    expect(out.infcode).toBe(0);
    expect(station.open(out).output).toEqual({ signoutoutb: { sign_time: '2026-11-22 10:15:30' } });
    expect(await station.call('1101', byIdCard(POPULATION[0]!.idNo), { signNo })).toMatchObject({ err_msg: '签到流水号无效' });
    expect(await station.signIn('sf001')).not.toBe(signNo);
  });

  it('keeps its ledger in the SQLite file across restarts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nhsa-centre-'));
    try {
      const dbPath = path.join(dir, 'centre.sqlite');
      const first = await startCentreWithFreshKeys({ dbPath, now: () => clock });
      const signNo = await new RawStation(first).signIn();
      await first.centre.close();
      const second = await startCentreWithFreshKeys({ dbPath, now: () => clock });
      try {
        expect(await new RawStation(second).signIn()).toBe(signNo);
        expect(second.centre.control.messages()).toHaveLength(2);
      } finally {
        await second.centre.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('1101 person info', () => {
  let signNo: string;
  beforeEach(async () => {
    signNo = await station.signIn();
  });

  it('finds every insured person by ID card, with their insured region', async () => {
    for (const person of POPULATION) {
      const answer = await station.call('1101', byIdCard(person.idNo), { signNo });
      const output = station.open(answer).output as { baseinfo: { psn_no: string }; insuinfo: { insuplc_admdvs: string }[] };
      expect(output.baseinfo.psn_no).toBe(person.psnNo);
      expect(output.insuinfo[0]?.insuplc_admdvs).toBe(person.insurances[0]?.insuplcAdmdvs);
    }
  });

  it('warns about a suspended insurance but still answers', async () => {
    const suspended = POPULATION.find((p) => p.insurances.some((i) => i.psnInsuStas === '2'))!;
    const answer = await station.call('1101', byIdCard(suspended.idNo), { signNo });
    expect(answer).toMatchObject({ infcode: 0, warn_msg: '该人员存在暂停参保的险种' });
  });

  it('finds a person by social-security card number and card_sn, and needs the card_sn', async () => {
    const p = POPULATION[3]!;
    const input = (cardSn: string) => ({ data: { mdtrt_cert_type: '03', mdtrt_cert_no: p.cardNo, card_sn: cardSn, psn_cert_type: '01' } });
    expect(
      (station.open(await station.call('1101', input(p.cardSn), { signNo })).output as { baseinfo: { psn_name: string } }).baseinfo
        .psn_name,
    ).toBe(p.name);
    expect(await station.call('1101', input(''), { signNo })).toMatchObject({ err_msg: '社会保障卡卡识别码不能为空' });
    expect(await station.call('1101', input('WRONG'), { signNo })).toMatchObject({ err_msg: '未查询到人员参保信息' });
  });

  it('answers 未查询到人员参保信息 for an unknown person', async () => {
    expect(await station.call('1101', byIdCard('110101199003070000'), { signNo })).toMatchObject({
      infcode: -1,
      err_msg: '未查询到人员参保信息',
    });
  });
});

describe('e-voucher decode and cert type 01', () => {
  let signNo: string;
  beforeEach(async () => {
    signNo = await station.signIn();
  });
  const byToken = (token: string) => ({ data: { mdtrt_cert_type: '01', mdtrt_cert_no: token, card_sn: '', psn_cert_type: '01' } });

  it('decodes a QR to a fresh 32-character token per call, which 1101 accepts', async () => {
    const person = POPULATION[5]!;
    const first = await station.voucher(person.voucherQr);
    expect(first).toMatchObject({ code: 0, message: '处理成功' });
    const identity = JSON.parse(first.data!) as { ecToken: string; idNo: string; userName: string; insuOrg: string };
    expect(identity).toMatchObject({ idNo: person.idNo, userName: person.name, insuOrg: '440300' });
    expect(identity.ecToken).toMatch(/^[0-9A-Z]{32}$/);
    const second = JSON.parse((await station.voucher(person.voucherQr)).data!) as { ecToken: string };
    expect(second.ecToken).not.toBe(identity.ecToken);

    const answer = await station.call('1101', byToken(identity.ecToken), { signNo });
    expect((station.open(answer).output as { baseinfo: { psn_no: string } }).baseinfo.psn_no).toBe(person.psnNo);
  });

  it('refuses an unknown QR, a token of another institution, and an expired token', async () => {
    expect(await station.voucher('YBSIMQR00NOTAREALCODE000000000000000000000')).toMatchObject({ code: 2001 });
    const foreign = JSON.parse((await station.voucher(POPULATION[0]!.voucherQr, 'H35020300099')).data!) as { ecToken: string };
    expect(await station.call('1101', byToken(foreign.ecToken), { signNo })).toMatchObject({ err_msg: '电子凭证令牌与定点医药机构不符' });

    const token = (JSON.parse((await station.voucher(POPULATION[0]!.voucherQr)).data!) as { ecToken: string }).ecToken;
    clock = new Date(clock.getTime() + 10 * 60_000);
    expect(await station.call('1101', byToken(token), { signNo })).toMatchObject({ err_msg: '电子凭证令牌无效或已过期' });
  });

  it('issues the same token sequence for the same seed', async () => {
    const other = await startCentreWithFreshKeys({ now: () => clock });
    try {
      const a = await station.voucher(POPULATION[1]!.voucherQr);
      const b = await new RawStation(other).voucher(POPULATION[1]!.voucherQr);
      expect(JSON.parse(a.data!)).toEqual(JSON.parse(b.data!));
    } finally {
      await other.centre.close();
    }
  });
});

describe('fault injection', () => {
  const signInInput = { signIn: { opter_no: 'sf001', mac: '', ip: '10.1.2.3' } };
  const recorded = (msgid: string) => fx.centre.control.messages().some((m) => m.msgid === msgid);

  it('drop-request: the connection dies and nothing is processed', async () => {
    fx.centre.control.inject({ infno: '9001', fault: { kind: 'drop-request' } });
    const env = station.envelope('9001', signInInput);
    await expect(station.post('9001', env)).rejects.toThrow();
    expect(recorded(env.msgid)).toBe(false);
    expect(fx.centre.control.requests()).toMatchObject([{ infno: '9001', msgid: env.msgid, verified: false, fault: 'drop-request' }]);
  });

  it('drop-response: processed and recorded, but the connection dies', async () => {
    fx.centre.control.inject({ infno: '9001', fault: { kind: 'drop-response' } });
    const env = station.envelope('9001', signInInput);
    await expect(station.post('9001', env)).rejects.toThrow();
    expect(recorded(env.msgid)).toBe(true);
  });

  it('http-500: a gateway error page, nothing processed', async () => {
    fx.centre.control.inject({ infno: '*', fault: { kind: 'http-500' } });
    const env = station.envelope('9001', signInInput);
    const reply = await station.post('9001', env);
    expect(reply.status).toBe(500);
    expect(() => JSON.parse(reply.text) as unknown).toThrow();
    expect(recorded(env.msgid)).toBe(false);
  });

  it('malformed-json: processed, the body is cut short', async () => {
    fx.centre.control.inject({ infno: '9001', fault: { kind: 'malformed-json' } });
    const env = station.envelope('9001', signInInput);
    const reply = await station.post('9001', env);
    expect(reply.status).toBe(200);
    expect(() => JSON.parse(reply.text) as unknown).toThrow();
    expect(recorded(env.msgid)).toBe(true);
  });

  it('bad-signature: a well-formed cainfo that does not verify', async () => {
    fx.centre.control.inject({ infno: '9001', fault: { kind: 'bad-signature' } });
    const answer = await station.call('9001', signInInput);
    expect(answer.infcode).toBe(0);
    expect(Buffer.from(answer.cainfo, 'base64')).toHaveLength(64);
    expect(station.open(answer).verified).toBe(false);
  });

  it('wrong-refmsgid: the answer names another region', async () => {
    fx.centre.control.inject({ infno: '9001', fault: { kind: 'wrong-refmsgid' } });
    const answer = await station.call('9001', signInInput);
    expect(answer.inf_refmsgid).toHaveLength(30);
    expect(answer.inf_refmsgid.startsWith('350200')).toBe(false);
    expect(station.open(answer).verified).toBe(true);
  });

  it('business-error: verified, not processed, answered -1 with the message and recorded as such', async () => {
    fx.centre.control.inject({ infno: '9001', fault: { kind: 'business-error', errMsg: '中心业务繁忙' } });
    const env = station.envelope('9001', signInInput);
    const answer = JSON.parse((await station.post('9001', env)).text) as Answer;
    expect(answer).toMatchObject({ infcode: -1, err_msg: '中心业务繁忙' });
    expect(fx.centre.control.messages()).toMatchObject([{ msgid: env.msgid, infcode: -1 }]);
  });

  it('delay: the answer arrives after the delay', async () => {
    fx.centre.control.inject({ infno: '9001', fault: { kind: 'delay', ms: 300 } });
    const started = Date.now();
    expect((await station.call('9001', signInInput)).infcode).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('applies a rule `times` times, only to its infno, until cleared', async () => {
    fx.centre.control.inject({ infno: '9001', fault: { kind: 'business-error', errMsg: 'X' }, times: 2 });
    fx.centre.control.inject({ infno: '1101', fault: { kind: 'business-error', errMsg: 'Y' } });
    expect((await station.call('9001', signInInput)).err_msg).toBe('X');
    expect((await station.call('9001', signInInput)).err_msg).toBe('X');
    const signNo = (station.open(await station.call('9001', signInInput)).output as { signinoutb: { sign_no: string } }).signinoutb.sign_no;
    expect((await station.call('1101', byIdCard(POPULATION[0]!.idNo), { signNo })).err_msg).toBe('Y');
    expect((await station.call('1101', byIdCard(POPULATION[0]!.idNo), { signNo })).err_msg).toBe('Y');
    fx.centre.control.clear();
    expect((await station.call('1101', byIdCard(POPULATION[0]!.idNo), { signNo })).infcode).toBe(0);
  });

  it('applies to the voucher service under "ec.query"', async () => {
    fx.centre.control.inject({ infno: 'ec.query', fault: { kind: 'business-error', errMsg: '凭证服务繁忙' }, times: 1 });
    expect(await station.voucher(POPULATION[0]!.voucherQr)).toMatchObject({ code: 9999, message: '凭证服务繁忙' });
    expect(await station.voucher(POPULATION[0]!.voucherQr)).toMatchObject({ code: 0 });
  });

  it('is driven over HTTP too', async () => {
    const control = (body: unknown) =>
      fetch(`${fx.centre.url}/__control`, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        json: (await r.json()) as unknown,
      }));
    expect((await control({ op: 'inject', infno: '9001', fault: { kind: 'business-error', errMsg: '远程注入' }, times: 1 })).status).toBe(
      200,
    );
    expect((await station.call('9001', signInInput)).err_msg).toBe('远程注入');
    expect((await control({ op: 'requests' })).json).toMatchObject([
      { infno: '9001', verified: true, infcode: -1, fault: 'business-error' },
    ]);
    expect((await control({ op: 'messages' })).json).toHaveLength(1);
    expect((await control({ op: 'inject', infno: '9001', fault: { kind: 'explode' } })).status).toBe(400);
    expect((await control({ op: 'clear' })).status).toBe(200);
  });
});

describe('fault injection by chance', () => {
  const signInInput = { signIn: { opter_no: 'sf001', mac: '', ip: '10.1.2.3' } };

  async function infcodes(seed: number): Promise<number[]> {
    const centre = await startCentreWithFreshKeys({ now: () => clock, seed });
    try {
      centre.centre.control.inject({ infno: '9001', fault: { kind: 'business-error', errMsg: '随机故障' }, probability: 0.5 });
      const raw = new RawStation(centre);
      const codes: number[] = [];
      for (let i = 0; i < 24; i++) codes.push((await raw.call('9001', signInInput)).infcode);
      return codes;
    } finally {
      await centre.centre.close();
    }
  }

  it('strikes a share of requests, the same ones for the same seed', async () => {
    const a = await infcodes(7);
    expect(await infcodes(7)).toEqual(a);
    expect(a).toContain(0);
    expect(a).toContain(-1);
    expect(await infcodes(8)).not.toEqual(a);
  });

  it('refuses a probability outside (0, 1]', () => {
    expect(() => fx.centre.control.inject({ infno: '9001', fault: { kind: 'http-500' }, probability: 0 })).toThrow();
    expect(() => fx.centre.control.inject({ infno: '9001', fault: { kind: 'http-500' }, probability: 1.5 })).toThrow();
  });
});

describe('ledger schema', () => {
  it('upgrades a ledger written by the first simulator and keeps its records', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nhsa-ledger-'));
    try {
      const dbPath = path.join(dir, 'centre.sqlite');
      const old = new Database(dbPath);
      old.exec(`CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        CREATE TABLE sign_in (sign_no TEXT PRIMARY KEY, fixmedins_code TEXT NOT NULL, opter TEXT NOT NULL, day TEXT NOT NULL, sign_time TEXT NOT NULL, sign_out_time TEXT);
        CREATE TABLE message (msgid TEXT PRIMARY KEY, infno TEXT NOT NULL, fixmedins_code TEXT NOT NULL, opter TEXT NOT NULL, inf_refmsgid TEXT NOT NULL,
          infcode INTEGER NOT NULL, err_msg TEXT NOT NULL, received_at TEXT NOT NULL);
        CREATE TABLE ec_token (token TEXT PRIMARY KEY, psn_no TEXT NOT NULL, org_id TEXT NOT NULL, business_type TEXT NOT NULL, expires_at INTEGER NOT NULL);
        INSERT INTO message VALUES ('${CODE}202611220000000001', '9001', '${CODE}', 'sf001', '350200202611220000000000000001', 0, '', '20261122000000000');`);
      old.close();
      const upgraded = await startCentreWithFreshKeys({ dbPath, now: () => clock });
      try {
        expect(upgraded.centre.control.messages()).toHaveLength(1);
        // A message from before the upgrade has no stored answer: repeating it is refused, not replayed.
        const raw = new RawStation(upgraded);
        const repeat = await raw.call(
          '9001',
          { signIn: { opter_no: 'sf001', mac: '', ip: '10.1.2.3' } },
          { msgid: `${CODE}202611220000000001` },
        );
        expect(repeat).toMatchObject({ infcode: -1, err_msg: '发送方报文ID重复' });
        expect(await raw.signIn()).toMatch(/^\d{30}$/);
      } finally {
        await upgraded.centre.close();
      }
      const reopened = new Database(dbPath);
      expect(reopened.pragma('user_version', { simple: true })).toBe(3);
      reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('plain profile', () => {
  it('takes and returns JSON objects with empty cainfo', async () => {
    const plain = await startCentreWithFreshKeys({ profile: 'plain', now: () => clock });
    try {
      const raw = new RawStation(plain, 'plain');
      const signNo = await raw.signIn();
      const answer = await raw.call('1101', byIdCard(POPULATION[2]!.idNo), { signNo });
      expect(answer).toMatchObject({ infcode: 0, cainfo: '', signtype: '' });
      expect(answer.output).toMatchObject({ baseinfo: { psn_name: '黄志强' }, idetinfo: [{ memo: '优抚对象' }] });
    } finally {
      await plain.centre.close();
    }
  });
});
