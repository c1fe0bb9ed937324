/** The merchant's account at the unified payment platform; keys come from the hospital's configuration. */
import { z } from 'zod';

export const PayChannelConfigSchema = z.object({
  /** Requests go to `${baseUrl}/${operation}`. */
  baseUrl: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')),
  mchId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  /** The merchant API key (WeChat: 32 characters). Signs requests and verifies answers and notifications. */
  key: z.string().min(16).max(128),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
});
export type PayChannelConfigInput = z.input<typeof PayChannelConfigSchema>;
export type PayChannelConfig = z.output<typeof PayChannelConfigSchema>;
