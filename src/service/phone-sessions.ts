/**
 * The patient's page never holds an app secret: the hospital's signed app asks for a short-lived session for one
 * stay (POST /v1/phone-sessions) and hands the token to the phone; the page's /m/api calls carry it as a bearer
 * token and reach only that stay. Kept in memory: a restarted service asks the app for a new one, as an expired
 * one does. Only the token's SM3-free SHA-256 is kept, so a memory dump does not yield usable tokens.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ServiceError } from './errors';

export const PHONE_SESSION_MINUTES = 30;

export interface PhoneSession {
  appId: string;
  iptNo: string;
  expiresAt: number;
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export class PhoneSessions {
  private readonly byDigest = new Map<string, PhoneSession>();

  constructor(
    private readonly now: () => number,
    private readonly minutes = PHONE_SESSION_MINUTES,
  ) {}

  mint(appId: string, iptNo: string): { token: string; expiresAt: number } {
    this.prune();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + this.minutes * 60_000;
    this.byDigest.set(digest(token), { appId, iptNo, expiresAt });
    return { token, expiresAt };
  }

  /** The session an `Authorization: Bearer …` header names, or a 401 the page answers by asking the app again. */
  resolve(authorization: string | undefined): PhoneSession {
    const token = /^Bearer ([A-Za-z0-9_-]{43})$/.exec(authorization ?? '')?.[1];
    const session = token === undefined ? undefined : this.byDigest.get(digest(token));
    if (!session) throw new ServiceError(401, 'SESSION_INVALID', '页面已失效，请从医院公众号重新进入');
    if (session.expiresAt <= this.now()) {
      this.byDigest.delete(digest(token!));
      throw new ServiceError(401, 'SESSION_INVALID', '页面已超时，请从医院公众号重新进入');
    }
    return session;
  }

  private prune(): void {
    const now = this.now();
    for (const [k, s] of this.byDigest) if (s.expiresAt <= now) this.byDigest.delete(k);
  }
}
