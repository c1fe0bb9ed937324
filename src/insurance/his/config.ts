/** The station's registration with the hospital's HIS integration gateway. */
import { z } from 'zod';

export const HisConfigSchema = z.object({
  /** Requests go to `${baseUrl}/gateway`. */
  baseUrl: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')),
  appId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  appSecret: z.string().min(16).max(128),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
});
export type HisConfigInput = z.input<typeof HisConfigSchema>;
export type HisConfig = z.output<typeof HisConfigSchema>;
