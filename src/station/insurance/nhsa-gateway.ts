/**
 * The station's use of the NHSA client: every message journalled before it leaves, today's 9001 sign-in per
 * operator held in SQLite and made on demand, the centre's link state tracked for the screens, and outcomes
 * turned into the station's error codes. Read-only transactions (1101) are safe to repeat; state-changing
 * ones will go through the outbox (issue 5) and never come through here blind.
 */
import os from 'node:os';
import { SingleFlight } from '../../shared/single-flight';
import { StationError } from '../../shared/result';
import type { ConnectivityView, LinkState, OperatorView } from '../../shared/domain';
import { personInfo, signIn, signOut, type CallContext, type NhsaClient, type NhsaOutcome, type PersonInfo } from '../../insurance/nhsa';
import { decodeVoucher } from '../../insurance/ec/voucher-client';
import type { NhsaRepo, StoredPerson } from '../store';
import type { EventBus } from '../events';
import { localDay, type Clock } from '../clock';
import type { InsuranceGateway, PersonLookup, VoucherIdentity } from '../ports';

/**
 * The centre's words for "no such insured person" in a 1101 refusal (provinces word it differently; these are
 * the national platform's and the common variants). The cashier must tell this apart from other refusals: the
 * next step is to check the number or take the patient as uninsured, not to call the insurance office.
 */
const PERSON_UNKNOWN = /未查询到|查无|不存在|无此人|无参保信息/;

export interface NhsaGatewayOptions {
  /** Builds the client with the gateway's journal hook as its `onSend`. */
  client: (journalBeforeSend: (msgid: string, infno: string) => void) => NhsaClient;
  repo: NhsaRepo;
  bus: EventBus;
  clock: Clock;
  institutionCode: string;
  voucher: { baseUrl: string; timeoutMs: number };
  /** The station's MAC and IP as registered for 9001 (AQ-12: some schemes limit sign-ins by MAC). */
  network?: { mac: string; ip: string };
}

interface Pending {
  infno: string;
  operatorId: string | null;
}

export class NhsaGateway implements InsuranceGateway {
  private link: LinkState = 'unknown';
  private linkDetail = '尚未连接医保中心';
  private readonly signingIn = new SingleFlight<string>();
  /** Set immediately before client.call(); NhsaClient calls onSend synchronously within that call. */
  private pending: Pending | null = null;
  private readonly network: { mac: string; ip: string };
  private readonly client: NhsaClient;

  constructor(private readonly opts: NhsaGatewayOptions) {
    this.network = opts.network ?? localNetworkIdentity();
    this.client = opts.client(this.journalBeforeSend);
  }

  /** NhsaClientDeps.onSend: the journal row exists before any byte is sent. */
  private readonly journalBeforeSend = (msgid: string, infno: string): void => {
    const pending = this.pending;
    if (!pending || pending.infno !== infno) throw new Error(`NHSA call ${infno} was not made through the gateway`);
    this.opts.repo.journalSend({ msgid, infno, operatorId: pending.operatorId }, this.opts.clock.now());
  };

  connectivity(operator: OperatorView | null): ConnectivityView {
    const day = localDay(this.opts.clock.now(), this.opts.clock.timeZone);
    return {
      nhsa: this.link,
      nhsaDetail: this.linkDetail,
      signedInToday: operator ? Boolean(this.opts.repo.signInFor(operator.id, day)) : false,
    };
  }

  async decodeVoucher(operator: OperatorView, qrCode: string): Promise<VoucherIdentity> {
    const outcome = await decodeVoucher(
      this.opts.voucher.baseUrl,
      {
        orgId: this.opts.institutionCode,
        businessType: '01101',
        operatorId: operator.id,
        operatorName: operator.name,
        qrCode,
      },
      { timeoutMs: this.opts.voucher.timeoutMs },
    );
    this.noteLink(outcome.kind === 'unknown' ? 'unreachable' : 'answered', outcome.kind === 'unknown' ? '医保电子凭证服务无法连接' : '');
    if (outcome.kind === 'ok') return outcome;
    if (outcome.kind === 'rejected') {
      throw new StationError('UNKNOWN_VOUCHER', `电子凭证无效：${outcome.message || outcome.code}`);
    }
    throw new StationError('CENTRE_UNREACHABLE', '医保电子凭证服务无法连接，请稍后重试');
  }

  async personInfo(
    operator: OperatorView,
    query: { certType: '01' | '02' | '03'; certNo: string; cardSn?: string; insuredRegion?: string },
  ): Promise<PersonLookup> {
    const input = { certType: query.certType, certNo: query.certNo, ...(query.cardSn ? { cardSn: query.cardSn } : {}) };
    let outcome = await this.withSignIn(operator, (signNo) =>
      this.send('1101', operator, () => personInfo(this.client, this.ctx(operator, signNo, query.insuredRegion), input)),
    );
    if (outcome.kind === 'rejected' && /签到/.test(outcome.errMsg)) {
      // The centre no longer accepts today's sign_no (signed out elsewhere, centre restart): sign in again once.
      this.opts.repo.dropSignIn(operator.id, this.today());
      outcome = await this.withSignIn(operator, (signNo) =>
        this.send('1101', operator, () => personInfo(this.client, this.ctx(operator, signNo, query.insuredRegion), input)),
      );
    }
    if (outcome.kind === 'rejected' && PERSON_UNKNOWN.test(outcome.errMsg)) {
      throw new StationError('PATIENT_NOT_FOUND', `医保中心查不到此人：${outcome.errMsg}`);
    }
    const output = this.expectOk(outcome, '查询参保信息');
    return { person: toStoredPerson(output, query.certType === '02' ? query.certNo : ''), msgid: outcome.msgid };
  }

  private async withSignIn<T>(operator: OperatorView, call: (signNo: string) => Promise<T>): Promise<T> {
    return call(await this.ensureSignedIn(operator));
  }

  /** Today's sign_no for the operator, signing in (9001) once if there is none; concurrent callers share it. */
  ensureSignedIn(operator: OperatorView): Promise<string> {
    const day = this.today();
    const held = this.opts.repo.signInFor(operator.id, day);
    if (held) return Promise.resolve(held.signNo);
    const key = `${operator.id}|${day}`;
    return this.signingIn.run(key, async () => {
      const outcome = await this.send('9001', operator, () =>
        signIn(this.client, this.ctx(operator, undefined), { opterNo: operator.id, mac: this.network.mac, ip: this.network.ip }),
      );
      const result = this.expectOk(outcome, '医保签到');
      this.opts.repo.saveSignIn(operator.id, day, result.signNo, result.signTime);
      this.announceLink();
      return result.signNo;
    });
  }

  /**
   * 9002 when the operator signs out of the station: ends today's sign_no at the centre. Nothing to do without
   * one; returns whether a sign-out was sent. A refused or unanswered 9002 throws (the caller logs it).
   */
  async signOut(operator: OperatorView): Promise<boolean> {
    const day = this.today();
    const held = this.opts.repo.signInFor(operator.id, day);
    if (!held) return false;
    this.expectOk(await this.send9002(operator, held.signNo), '医保签退');
    this.opts.repo.markSignedOut(operator.id, day, this.opts.clock.now());
    this.announceLink();
    return true;
  }

  /**
   * AQ-09, the end of the day: every sign-in of an earlier day still open at the centre (its operator never
   * signed out: the window was closed, the PC slept) gets its 9002. One that the centre refuses or does not answer
   * stays open and is tried at the next sweep. Returns how many were signed out.
   */
  async signOutEarlierDays(operatorOf: (id: string) => OperatorView | undefined): Promise<number> {
    let done = 0;
    for (const held of this.opts.repo.openSignInsBefore(this.today())) {
      const operator = operatorOf(held.operatorId) ?? { id: held.operatorId, name: held.operatorId, role: 'cashier' as const };
      if ((await this.send9002(operator, held.signNo)).kind !== 'ok') continue;
      this.opts.repo.markSignedOut(held.operatorId, held.day, this.opts.clock.now());
      done += 1;
    }
    return done;
  }

  /** 9002 for one sign_no, as the operator who holds it. */
  private send9002(operator: OperatorView, signNo: string): Promise<NhsaOutcome<{ signTime: string }>> {
    return this.send('9002', operator, () => signOut(this.client, this.ctx(operator, signNo), { signNo, opterNo: operator.id }));
  }

  /**
   * Any transaction through the journal and the link state, for the outbox's movements: `call` receives the
   * envelope context (operator, today's sign_no, insured region) and must make exactly one client call.
   */
  async perform<T>(
    infno: string,
    operator: OperatorView,
    call: (client: NhsaClient, ctx: CallContext) => Promise<NhsaOutcome<T>>,
    opts: { insuredRegion?: string; msgid?: string } = {},
  ): Promise<NhsaOutcome<T>> {
    const signNo = await this.ensureSignedIn(operator);
    const ctx: CallContext = { ...this.ctx(operator, signNo, opts.insuredRegion), ...(opts.msgid ? { msgid: opts.msgid } : {}) };
    return this.send(infno, operator, () => call(this.client, ctx));
  }

  private async send<T>(infno: string, operator: OperatorView, call: () => Promise<NhsaOutcome<T>>): Promise<NhsaOutcome<T>> {
    this.pending = { infno, operatorId: operator.id };
    let promise: Promise<NhsaOutcome<T>>;
    try {
      promise = call();
    } finally {
      this.pending = null;
    }
    const outcome = await promise;
    const now = this.opts.clock.now();
    if (outcome.kind === 'ok') this.opts.repo.journalAnswer(outcome.msgid, 'ok', now, outcome.infRefmsgid);
    else if (outcome.kind === 'rejected') this.opts.repo.journalAnswer(outcome.msgid, 'rejected', now, outcome.infRefmsgid, outcome.errMsg);
    else this.opts.repo.journalAnswer(outcome.msgid, 'unknown', now, undefined, `${outcome.reason}: ${outcome.detail}`);
    if (outcome.kind !== 'unknown') this.noteLink('answered', '');
    else if (outcome.reason === 'timeout') this.noteLink('unreachable', '医保中心应答超时');
    else if (outcome.reason === 'network' || outcome.reason === 'http-status') this.noteLink('unreachable', '医保中心无法连接');
    else this.noteLink('garbled', '医保中心应答异常（签名或格式无法验证）');
    return outcome;
  }

  private expectOk<T>(outcome: NhsaOutcome<T>, what: string): T {
    if (outcome.kind === 'ok') return outcome.output;
    if (outcome.kind === 'rejected')
      throw new StationError('CENTRE_REJECTED', `${what}失败：${outcome.errMsg || `错误码 ${outcome.infcode}`}`);
    const why =
      outcome.reason === 'timeout'
        ? '医保中心应答超时'
        : outcome.reason === 'network' || outcome.reason === 'http-status'
          ? '医保中心无法连接'
          : '医保中心应答无法验证';
    throw new StationError('CENTRE_UNREACHABLE', `${what}失败：${why}，请稍后重试`);
  }

  /** The centre's link as the screens show it: answered → online; no answer → offline; a bad answer → online but flagged. */
  private noteLink(how: 'answered' | 'unreachable' | 'garbled', detail: string): void {
    const next: LinkState = how === 'unreachable' ? 'offline' : 'online';
    const text = how === 'answered' ? '医保中心连接正常' : detail;
    if (next === this.link && text === this.linkDetail) return;
    this.link = next;
    this.linkDetail = text;
    this.announceLink();
  }

  /** Each window receives its own operator's view (see the connectivity personalisation in station.ts). */
  private announceLink(): void {
    this.opts.bus.emit('connectivity', this.connectivity(null));
  }

  private ctx(operator: OperatorView, signNo: string | undefined, insuredRegion?: string) {
    return {
      operator: { opter: operator.id, opterName: operator.name, opterType: '1' as const },
      ...(signNo ? { signNo } : {}),
      ...(insuredRegion ? { insuplcAdmdvs: insuredRegion } : {}),
    };
  }

  private today(): string {
    return localDay(this.opts.clock.now(), this.opts.clock.timeZone);
  }
}

function toStoredPerson(info: PersonInfo, fallbackCertNo: string): StoredPerson {
  const b = info.baseinfo;
  return {
    psnNo: b.psn_no,
    name: b.psn_name,
    certType: b.psn_cert_type,
    certNo: b.certno || fallbackCertNo,
    gender: b.gend,
    nation: b.naty,
    birthDate: b.brdy,
    age: b.age,
    insurances: info.insuinfo.map((i) => ({
      insutype: i.insutype,
      psnType: i.psn_type,
      balanceFen: i.balanceFen,
      insuredRegion: i.insuplc_admdvs,
      employer: i.emp_name,
      status: i.psn_insu_stas,
      civilServant: i.cvlserv_flag === '1',
    })),
    identities: info.idetinfo.map((d) => ({ type: d.psn_idet_type, level: d.psn_type_lv, begin: d.begntime, end: d.endtime })),
  };
}

function localNetworkIdentity(): { mac: string; ip: string } {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family === 'IPv4' && !a.internal) return { mac: a.mac.replace(/:/g, '').toUpperCase().slice(0, 20), ip: a.address };
    }
  }
  return { mac: '000000000000', ip: '127.0.0.1' };
}
