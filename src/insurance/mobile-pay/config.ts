/** The hospital's mobile-payment channel (医保移动支付): where the centre is, the channel's credentials and keys. */
import { z } from 'zod';
import { DEFAULT_SM2_USER_ID, sm2IsValidPrivateKey, sm2IsValidPublicKey } from '../crypto';

export const MobilePayConfigSchema = z.object({
  /** The centre's base URL; transactions go to `${baseUrl}/uldFeeInfo` and so on. */
  baseUrl: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')),
  /** The channel id the centre issued (32 characters in practice; its first 16 key the SM4 derivation). */
  appId: z.string().regex(/^[\x21-\x7e]{16,64}$/),
  appSecret: z.string().min(1).max(128),
  /** 12-character institution code (orgCodg). */
  orgCodg: z.string().regex(/^[A-Za-z0-9]{12}$/),
  privateKeyHex: z.string().refine(sm2IsValidPrivateKey, 'not an SM2 private key (64 hex)'),
  centrePublicKeyHex: z.string().refine(sm2IsValidPublicKey, 'not an SM2 public key (04||X||Y on the curve)'),
  /** The SM2 user id: public code disagrees (1234567812345678 or appSecret); the test platform decides. */
  userId: z
    .string()
    .regex(/^[\x20-\x7e]{1,255}$/)
    .default(DEFAULT_SM2_USER_ID),
  timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
});
export type MobilePayConfig = z.output<typeof MobilePayConfigSchema>;
export type MobilePayConfigInput = z.input<typeof MobilePayConfigSchema>;
