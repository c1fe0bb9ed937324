/**
 * HM-13/14: the patient messages the service owes, as an outbox in the station's SQLite (migration 029). A message
 * is recorded once per purpose and phone (its dedupe key), with its msg_id fixed before the first attempt, then
 * sent by `drain` through the message gateway (the training rig's simulator, or the platform's). A send whose
 * answer is lost is repeated byte-identical: the gateway answers a repeat with the message it already sent.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../station/store';
import type { MessageClient, PatientMessage } from '../insurance/messages';

/** After this many attempts a message is given up (the patient also sees the page; IT sees it failed). */
const MAX_ATTEMPTS = 5;

export interface Subscriber {
  wallet: 'wechat' | 'alipay';
  toUser: string;
}

export class PatientMessages {
  constructor(
    private readonly db: Db,
    private readonly client: Pick<MessageClient, 'send'> | null,
  ) {}

  subscribe(iptNo: string, s: Subscriber, appId: string, at: number): void {
    this.db
      .prepare(
        `INSERT INTO service_subscriptions (ipt_no, to_user, wallet, app_id, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (ipt_no, to_user) DO UPDATE SET wallet = excluded.wallet, app_id = excluded.app_id`,
      )
      .run(iptNo, s.toUser, s.wallet, appId, at);
  }

  subscribers(iptNo: string): Subscriber[] {
    return this.db
      .prepare<[string], { wallet: Subscriber['wallet']; to_user: string }>(
        'SELECT wallet, to_user FROM service_subscriptions WHERE ipt_no = ?',
      )
      .all(iptNo)
      .map((r) => ({ wallet: r.wallet, toUser: r.to_user }));
  }

  /** Stays with a phone that has not had this purpose's message yet, among subscriptions made since `since`. */
  awaitingPurpose(purpose: string, since: number): string[] {
    return this.db
      .prepare<[number, string], { ipt_no: string }>(
        `SELECT DISTINCT s.ipt_no FROM service_subscriptions s
         WHERE s.created_at >= ? AND NOT EXISTS (SELECT 1 FROM service_messages m WHERE m.dedupe_key = ? || ':' || s.ipt_no || ':' || s.to_user)`,
      )
      .all(since, purpose)
      .map((r) => r.ipt_no);
  }

  /** Records a message for each subscriber of the stay, once per `purpose`; returns the msg_ids newly queued. */
  queue(
    iptNo: string,
    purpose: string,
    build: (to: { msgId: string; wallet: Subscriber['wallet']; toUser: string }) => PatientMessage,
    at: number,
  ): string[] {
    const queued: string[] = [];
    for (const s of this.subscribers(iptNo)) {
      const msgId = randomUUID().replaceAll('-', '');
      const message = build({ msgId, ...s });
      const r = this.db
        .prepare(
          `INSERT OR IGNORE INTO service_messages (msg_id, dedupe_key, stay_iptno, template, message_json, state, created_at)
           VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
        )
        .run(msgId, `${purpose}:${iptNo}:${s.toUser}`, iptNo, message.template, JSON.stringify(message), at);
      if (r.changes === 1) queued.push(msgId);
    }
    return queued;
  }

  /** Sends what is pending, oldest first. */
  async drain(now: () => number): Promise<{ sent: number; failed: number }> {
    if (!this.client) return { sent: 0, failed: 0 };
    const pending = this.db
      .prepare<[], { msg_id: string; message_json: string; attempts: number }>(
        `SELECT msg_id, message_json, attempts FROM service_messages WHERE state = 'pending' ORDER BY created_at, msg_id LIMIT 100`,
      )
      .all();
    let sent = 0;
    let failed = 0;
    for (const p of pending) {
      const outcome = await this.client.send(JSON.parse(p.message_json) as PatientMessage);
      const attempts = p.attempts + 1;
      if (outcome.kind === 'ok') {
        this.db
          .prepare(`UPDATE service_messages SET state = 'sent', attempts = ?, sent_at = ?, detail = NULL WHERE msg_id = ?`)
          .run(attempts, now(), p.msg_id);
        sent++;
        continue;
      }
      const detail = outcome.kind === 'rejected' ? `${outcome.code} ${outcome.message}` : outcome.detail;
      // A refusal (unsubscribed, bad template) will not change by repeating it; a lost answer is repeated.
      const final = outcome.kind === 'rejected' || attempts >= MAX_ATTEMPTS;
      this.db
        .prepare('UPDATE service_messages SET state = ?, attempts = ?, detail = ? WHERE msg_id = ?')
        .run(final ? 'failed' : 'pending', attempts, detail, p.msg_id);
      if (final) failed++;
    }
    return { sent, failed };
  }

  list(iptNo: string): { msgId: string; template: string; state: string }[] {
    return this.db
      .prepare<[string], { msg_id: string; template: string; state: string }>(
        'SELECT msg_id, template, state FROM service_messages WHERE stay_iptno = ? ORDER BY created_at, msg_id',
      )
      .all(iptNo)
      .map((r) => ({ msgId: r.msg_id, template: r.template, state: r.state }));
  }
}
