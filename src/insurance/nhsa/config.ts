/**
 * Per-institution NHSA configuration. The national field names are fixed; everything a province varies
 * (gateway URL style, encryption profile, codes, keys) lives here.
 */
import { z } from 'zod';
import { DEFAULT_SM2_USER_ID, sm2IsValidPrivateKey, sm2IsValidPublicKey } from '../crypto';
import { DEFAULT_MAX_ANSWER_BYTES, DEFAULT_MAX_FILE_BYTES } from '../http';
import { DEFAULT_REVERSIBLE_INFNOS, isStateChanging } from './transactions/kinds';

const admdvs = z.string().regex(/^\d{6}$/, 'a 6-digit region code (医保区划)');

export const NhsaConfigSchema = z
  .object({
    /** Gateway base URL; requests go to `${baseUrl}/${infno}` or to `baseUrl` itself (urlStyle). */
    baseUrl: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')),
    urlStyle: z.enum(['per-infno', 'single']),
    /** 'sm': SM4-encrypted input/output and SM2 signatures (Jilin style); 'plain': JSON as is. */
    profile: z.enum(['sm', 'plain']),
    institution: z.object({
      code: z.string().regex(/^[A-Za-z0-9]{12}$/, 'fixmedins_code is 12 letters or digits'),
      name: z.string().min(1).max(200),
      admdvs,
    }),
    /** Region of the centre we talk to: every inf_refmsgid it issues starts with it. */
    centreRegion: admdvs,
    recerSysCode: z.string().min(1).max(10),
    infver: z.string().min(1).max(6).default('V1.0'),
    timeoutMs: z.number().int().min(100).max(600_000),
    /** Deadline for a whole file download (9102): catalogue files run to tens of megabytes. */
    fileTimeoutMs: z.number().int().min(100).max(3_600_000).default(300_000),
    /** Largest JSON answer read; a larger one is an unknown outcome (a gateway streaming without end). */
    maxAnswerBytes: z
      .number()
      .int()
      .min(4096)
      .max(64 * 1024 * 1024)
      .default(DEFAULT_MAX_ANSWER_BYTES),
    /** Largest file a download (9102) may deliver. */
    maxFileBytes: z
      .number()
      .int()
      .min(4096)
      .max(1024 * 1024 * 1024)
      .default(DEFAULT_MAX_FILE_BYTES),
    /** Transactions this province lets 2601 reverse; each must be a state-changing one. */
    reversibleInfnos: z
      .array(z.string().regex(/^\d{4}$/))
      .default([...DEFAULT_REVERSIBLE_INFNOS])
      .refine((infnos) => infnos.every(isStateChanging), 'only state-changing transactions can be reversed'),
    /** 16 ASCII characters; in the sm profile its bytes are the SM4 key. */
    clientId: z
      .string()
      .regex(/^[\x21-\x7e]{16}$/, 'clientId is 16 printable ASCII characters')
      .optional(),
    stationPrivateKeyHex: z.string().refine(sm2IsValidPrivateKey, 'not an SM2 private key (64 hex)').optional(),
    centrePublicKeyHex: z.string().refine(sm2IsValidPublicKey, 'not an SM2 public key (04||X||Y on the curve)').optional(),
    userId: z
      .string()
      .regex(/^[\x20-\x7e]{1,255}$/)
      .default(DEFAULT_SM2_USER_ID),
    devNo: z.string().max(100).optional(),
    devSafeInfo: z.string().max(2000).optional(),
  })
  .superRefine((config, ctx) => {
    if (config.profile !== 'sm') return;
    for (const key of ['clientId', 'stationPrivateKeyHex', 'centrePublicKeyHex'] as const) {
      if (config[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `required by the sm profile` });
    }
  });

/** What the operator configures (defaults may be left out). */
export type NhsaConfigInput = z.input<typeof NhsaConfigSchema>;
/** The validated configuration with defaults applied. */
export type NhsaConfig = z.output<typeof NhsaConfigSchema>;
