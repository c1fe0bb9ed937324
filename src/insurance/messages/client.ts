/**
 * MessageClient: sends template messages through the payment platform's message gateway (same merchant
 * account and signature as its payment API). A message moves no money, but it is still sent once: the
 * station's msg_id is fixed before the first attempt and a retry is byte-identical, so a lost answer is simply
 * repeated — the gateway answers a repeat with the message it already sent.
 */
import { z } from 'zod';
import { compactBeijingToIso } from '../pay-channel/time';
import { callPlatform } from '../pay-channel/platform-call';
import type { PayOutcome } from '../pay-channel/outcome';
import { TEMPLATE_NAMES, type PatientMessage, type TemplateName } from './templates';

export const MessageConfigSchema = z.object({
  /** The platform's base URL; messages go to `${baseUrl}/message/send`. */
  baseUrl: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')),
  mchId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  key: z.string().min(16).max(128),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  /** The accounts' template ids by purpose (each hospital account registers its own); the purpose name by default. */
  templateIds: z.partialRecord(z.enum(TEMPLATE_NAMES), z.string().min(1)).default({}),
});
export type MessageConfigInput = z.input<typeof MessageConfigSchema>;
export type MessageConfig = z.output<typeof MessageConfigSchema>;

export interface SentReceipt {
  msgId: string;
  platformMsgId: string;
  sentAt: string;
}

const SentAnswer = z
  .object({ msg_id: z.string().min(1), platform_msg_id: z.string().min(1), sent_time: z.string() })
  .transform((a, ctx): SentReceipt => {
    const sentAt = compactBeijingToIso(a.sent_time);
    if (!sentAt) {
      ctx.issues.push({ code: 'custom', message: 'bad sent_time', input: a.sent_time });
      return z.NEVER;
    }
    return { msgId: a.msg_id, platformMsgId: a.platform_msg_id, sentAt };
  });

export class MessageClient {
  private readonly config: MessageConfig;
  private readonly fetch: typeof fetch;

  constructor(config: MessageConfigInput, deps: { fetch?: typeof fetch } = {}) {
    this.config = MessageConfigSchema.parse(config);
    this.fetch = deps.fetch ?? fetch;
  }

  templateId(template: TemplateName): string {
    return this.config.templateIds[template] ?? template;
  }

  send(m: PatientMessage): Promise<PayOutcome<SentReceipt>> {
    const fields: Record<string, string> = {
      msg_id: m.msgId,
      channel: m.wallet === 'wechat' ? 'WECHAT' : 'ALIPAY',
      to_user: m.toUser,
      template_id: this.templateId(m.template),
      // Sorted keys: the same message always gives the same text, so a retry is byte-identical.
      data: JSON.stringify(
        Object.fromEntries(
          Object.keys(m.data)
            .sort()
            .map((k) => [k, m.data[k]]),
        ),
      ),
    };
    if (m.url) fields.url = m.url;
    return callPlatform({ ...this.config, fetch: this.fetch }, 'message/send', fields, { echo: { msg_id: m.msgId }, read: SentAnswer });
  }
}
