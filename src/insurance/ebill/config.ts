/** The station's registration with the hospital's e-bill gateway (Bosssoft 医疗电子票据管理平台). */
import { z } from 'zod';

export const EBillConfigSchema = z.object({
  /** Services are posted to `${baseUrl}/medical-web/api/medical/<service>`. */
  baseUrl: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')),
  appId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  appKey: z.string().min(8).max(128),
  version: z.literal('1.0').default('1.0'),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
});
export type EBillConfigInput = z.input<typeof EBillConfigSchema>;
export type EBillConfig = z.output<typeof EBillConfigSchema>;
