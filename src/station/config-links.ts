/**
 * The links that move money must be protected on a hospital's station: HTTPS to the NHSA centre (and its voucher
 * service), HIS, the payment platform and the message gateway, and the NHSA `sm` profile (signed, encrypted).
 * Plain HTTP stays allowed to the workstation itself (127.0.0.1, ::1, localhost: the training rig, a local
 * front-end processor), where nobody on the network can read or change it. Anything else needs a documented
 * private-line exception naming why and who approved it.
 */
import { z } from 'zod';

/** A dedicated line (医保专线) the province or hospital secured itself, so HTTP / the plain profile is accepted. */
export const PrivateLineSchema = z
  .object({
    reason: z.string().trim().min(4, '说明专线情况（至少4个字）'),
    approvedBy: z.string().trim().min(1, '批准人'),
  })
  .strict();
export type PrivateLine = z.infer<typeof PrivateLineSchema>;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

function isProtected(url: string): boolean {
  const parsed = new URL(url);
  return parsed.protocol === 'https:' || LOOPBACK_HOSTS.has(parsed.hostname);
}

interface Link {
  baseUrl: string;
  privateLine?: PrivateLine | undefined;
}

interface Links {
  nhsa: Link & { profile: 'sm' | 'plain' };
  voucher: Link;
  his: Link;
  payChannel: Link;
  messages?: Link | undefined;
  ebill?: Link | undefined;
  mobilePay?: Link | undefined;
}

/** Adds an issue naming the field for every unprotected link without a private-line exception. */
export function checkLinks(config: Links, ctx: z.RefinementCtx): void {
  const links: [keyof Links, Link | undefined][] = [
    ['nhsa', config.nhsa],
    ['voucher', config.voucher],
    ['his', config.his],
    ['payChannel', config.payChannel],
    ['messages', config.messages],
    ['ebill', config.ebill],
    ['mobilePay', config.mobilePay],
  ];
  for (const [name, link] of links) {
    if (!link || link.privateLine || isProtected(link.baseUrl)) continue;
    ctx.addIssue({
      code: 'custom',
      path: [name, 'baseUrl'],
      message: `须为 https（仅本机 127.0.0.1 可用 http），或在 ${name}.privateLine 中写明专线例外（reason, approvedBy）`,
    });
  }
  if (config.nhsa.profile !== 'sm' && !config.nhsa.privateLine) {
    ctx.addIssue({
      code: 'custom',
      path: ['nhsa', 'profile'],
      message: '须为 sm（国密签名加密），或在 nhsa.privateLine 中写明专线例外（reason, approvedBy）',
    });
  }
}
