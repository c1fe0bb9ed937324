/** The patient as the mobile-payment centre knows them: sent again with every 6301 / 6203 of their order. */
import { z } from 'zod';

export const CentreWho = z.object({ idNo: z.string(), userName: z.string(), idType: z.string() });
export type CentreWho = z.infer<typeof CentreWho>;
