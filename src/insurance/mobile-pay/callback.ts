/**
 * The settlement callback as the centre POSTs it (plain JSON, as the Hainan controller receives it). Not signed,
 * so it is only a hint: the station believes it after 6301 says the same.
 */
import { z } from 'zod';

export const MobilePayCallback = z.object({
  payOrdId: z.string().min(1).max(64),
  medOrgOrd: z.string().min(1).max(64),
  ordStas: z.string().min(1).max(4),
  callType: z.string().optional(),
});
export type MobilePayCallback = z.infer<typeof MobilePayCallback>;
