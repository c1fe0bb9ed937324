/**
 * A station's configuration (`<dataDir>/station.config.json` for a hospital; built in code for training).
 * Validated whole at start: a wrong field stops the start with a message naming it, nothing half-runs.
 * Keys are never in this file: `nhsa.keyFile` points at a separate JSON the IT admin installs (mode 0600).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DeviceConfigListSchema } from '../devices/models';
import { DEFAULT_REVERSIBLE_INFNOS } from '../insurance/nhsa';
import { DEFAULT_KDF_COST } from './security/passwords';
import { checkLinks, PrivateLineSchema } from './config-links';
import { RECEIPTS_DEFAULTS, ReceiptsConfigSchema } from './receipts';
import { LedgerUrlSchema } from './hospital-ledger';

const admdvs = z.string().regex(/^\d{6}$/, '6位医保区划代码');

export const NhsaKeysSchema = z.object({
  clientId: z.string().regex(/^[\x21-\x7e]{16}$/),
  stationPrivateKeyHex: z.string().regex(/^[0-9a-fA-F]{64}$/),
  centrePublicKeyHex: z.string().regex(/^04[0-9a-fA-F]{128}$/),
  /** HIS integration gateway secret and the payment platform's merchant key live in the same key file. */
  hisAppSecret: z.string().min(16),
  payChannelKey: z.string().min(16),
  /** The mobile-payment channel's secret and SM2 keys (医保移动支付): only where `mobilePay` is configured. */
  mobilePayAppSecret: z.string().min(1).max(128).optional(),
  mobilePayPrivateKeyHex: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/)
    .optional(),
  mobilePayCentrePublicKeyHex: z
    .string()
    .regex(/^04[0-9a-fA-F]{128}$/)
    .optional(),
  /** The e-bill gateway's app key (财政电子票据): only where `ebill` is configured. */
  ebillAppKey: z.string().min(16).max(128).optional(),
});
export type NhsaKeys = z.infer<typeof NhsaKeysSchema>;

export const StationConfigSchema = z
  .object({
    stationId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
    timeZone: z.string().default('Asia/Shanghai'),
    institution: z.object({ code: z.string().regex(/^[A-Za-z0-9]{12}$/), name: z.string().min(1).max(200), admdvs }).strict(),
    nhsa: z
      .object({
        baseUrl: z.url({ protocol: /^https?$/ }),
        urlStyle: z.enum(['per-infno', 'single']).default('per-infno'),
        profile: z.enum(['sm', 'plain']).default('sm'),
        centreRegion: admdvs,
        recerSysCode: z.string().min(1).max(10),
        infver: z.string().default('V1.0'),
        timeoutMs: z.number().int().min(1000).max(180_000).default(30_000),
        userId: z.string().optional(),
        keyFile: z.string().min(1),
        /** Size caps of the centre's answers (defaults 1 MB, and 64 MB for a file): a larger one is an unknown outcome. */
        maxAnswerBytes: z.number().int().min(4096).optional(),
        maxFileBytes: z.number().int().min(4096).optional(),
        privateLine: PrivateLineSchema.optional(),
        /**
         * How a registration (2201) whose answer was lost is undone: 5201 to find the visit, then 2202 (default,
         * the national rule); 'reverse-2601' only where the province lets 2601 reverse 2201.
         */
        lostRegistration: z.enum(['query-and-cancel', 'reverse-2601']).default('query-and-cancel'),
        /**
         * This station's own thousand of the msgid sequence (0–9): required when several stations of one
         * institution talk to the centre, which keys messages by msgid alone. Absent: the whole sequence.
         */
        msgidBlock: z.number().int().min(0).max(9).optional(),
      })
      .strict(),
    voucher: z
      .object({
        baseUrl: z.url({ protocol: /^https?$/ }),
        timeoutMs: z.number().int().min(500).default(15_000),
        privateLine: PrivateLineSchema.optional(),
      })
      .strict(),
    his: z
      .object({
        baseUrl: z.url({ protocol: /^https?$/ }),
        appId: z.string().min(1),
        timeoutMs: z.number().int().default(10_000),
        privateLine: PrivateLineSchema.optional(),
      })
      .strict(),
    payChannel: z
      .object({
        baseUrl: z.url({ protocol: /^https?$/ }),
        mchId: z.string().min(1),
        timeoutMs: z.number().int().default(10_000),
        /** How long the patient has to pay the self-pay share after the insurance settlement (HX-33). */
        payWindowMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .default(30),
        /** How long a QR on the screen stays payable (HX-22; never past the top-up window) and how often it is asked after (HX-24). */
        qrMinutes: z.number().int().min(1).max(120).default(5),
        qrPollMs: z.number().int().min(200).max(30_000).default(2_000),
        privateLine: PrivateLineSchema.optional(),
      })
      .strict(),
    /** Patient messages through the payment platform's gateway (HX-27), signed with the payment merchant's key. */
    messages: z
      .object({
        baseUrl: z.url({ protocol: /^https?$/ }),
        timeoutMs: z.number().int().default(10_000),
        /** The page a message opens (payment and drug details); `{orderNo}` is replaced. */
        detailsUrl: z.url({ protocol: /^https$/ }).optional(),
        templateIds: z.record(z.string(), z.string().min(1)).default({}),
        privateLine: PrivateLineSchema.optional(),
      })
      .strict()
      .optional(),
    /**
     * The hospital's fiscal e-bill gateway (财政电子票据, AQ-15): each settlement's bill is issued there and
     * red-flushed on a refund. Its app key is in `nhsa.keyFile` (ebillAppKey). Absent: no e-bills.
     */
    ebill: z
      .object({
        baseUrl: z.url({ protocol: /^https?$/ }),
        appId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
        /** This station's billing point (开票点) at the gateway. */
        placeCode: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
        timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
        privateLine: PrivateLineSchema.optional(),
      })
      .strict()
      .optional(),
    /**
     * NHSA mobile payment (医保移动支付, issue 16): the centre and the channel's id; its secret and SM2 keys are in
     * `nhsa.keyFile`. The centre POSTs its settlement callback to the settlement service at `callbackPath`.
     */
    mobilePay: z
      .object({
        baseUrl: z.url({ protocol: /^https?$/ }),
        appId: z.string().regex(/^[\x21-\x7e]{16,64}$/),
        userId: z
          .string()
          .regex(/^[\x20-\x7e]{1,255}$/)
          .optional(),
        timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
        callbackPath: z
          .string()
          .regex(/^\/[A-Za-z0-9/_-]{1,100}$/)
          .default('/callbacks/mobile-pay'),
        privateLine: PrivateLineSchema.optional(),
      })
      .strict()
      .optional(),
    /**
     * The hospital's ledger on PostgreSQL (issue 14); absent: the embedded ledger in the station's own SQLite. The
     * login, password and TLS files are in `keyFile` (relative to the data dir, mode 0600), never here.
     */
    ledger: z
      .object({
        url: LedgerUrlSchema,
        keyFile: z.string().min(1).default('ledger-keys.json'),
        /** The office login's key file (`yibao_office`, reads every station's events): the day's reconciliation reads the
         *  whole hospital through it. Absent: reconciliation reads this station's embedded ledger. */
        officeKeyFile: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** The day's reconciliation with the centre (AQ-06): after this local hour the sweep reconciles yesterday once;
     *  absent: only when an administrator runs it (系统管理 › 对账). */
    reconciliation: z
      .object({ autoAfterHour: z.number().int().min(0).max(23).optional() })
      .strict()
      .default({}),
    devices: DeviceConfigListSchema.default([]),
    /** Inpatient stays (issue 15): fee lines per 2301 batch, and how often the uploader sends what HIS executed since. */
    inpatient: z
      .object({
        batchSize: z.number().int().min(1).max(1000).default(100),
        uploadEveryMinutes: z.number().min(0.01).max(1440).default(10),
      })
      .strict()
      .default({ batchSize: 100, uploadEveryMinutes: 10 }),
    /** How the outbox paces its resolution (defaults suit a hospital; the chaos harness runs it faster). */
    outbox: z
      .object({
        backoffBaseMs: z.number().int().min(10).optional(),
        backoffMaxMs: z.number().int().min(10).optional(),
        queryWindowMs: z.number().int().min(0).optional(),
        maxAttempts: z.number().int().min(1).optional(),
      })
      .strict()
      .default({}),
    /**
     * Scheduled online backups (issue 11). `dir` relative to the data dir; point it at another disk. The key
     * copy goes to `keyDir` (default `<dir>/keys`), never inside a database copy.
     */
    /** Slips: how long saved PDFs are kept, and the printer and paper the shell prints them on (receipts/print-settings.ts). */
    receipts: ReceiptsConfigSchema.default(RECEIPTS_DEFAULTS),
    backup: z
      .object({
        dir: z.string().min(1).default('backups'),
        keyDir: z.string().min(1).optional(),
        everyMinutes: z.number().int().min(1).max(1440).default(60),
        keep: z.number().int().min(1).max(1000).default(48),
      })
      .strict()
      .default({ dir: 'backups', everyMinutes: 60, keep: 48 }),
    security: z
      .object({
        kdf: z
          .object({
            N: z
              .number()
              .int()
              .min(2 ** 14),
            r: z.number().int().min(1),
            p: z.number().int().min(1),
          })
          .default(DEFAULT_KDF_COST),
        lockout: z
          .object({ maxAttempts: z.number().int().min(3).max(20), lockMinutes: z.number().int().min(1).max(1440) })
          .default({ maxAttempts: 5, lockMinutes: 15 }),
        /** The window locks after this many minutes without input (issue 11). */
        idleLockMinutes: z.number().min(0.05).max(240).default(10),
        /** A sign-in ends this many hours after it began, however busy. */
        sessionHours: z.number().min(1).max(24).default(12),
      })
      .default({ kdf: DEFAULT_KDF_COST, lockout: { maxAttempts: 5, lockMinutes: 15 }, idleLockMinutes: 10, sessionHours: 12 }),
  })
  .strict()
  .superRefine(checkLinks);
export type StationConfig = z.output<typeof StationConfigSchema>;
export type StationConfigInput = z.input<typeof StationConfigSchema>;

export const STATION_CONFIG_FILE = 'station.config.json';

export function loadStationConfig(dataDir: string): StationConfig {
  const file = path.join(dataDir, STATION_CONFIG_FILE);
  const parsed = StationConfigSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ');
    throw new Error(`配置文件 ${file} 无效：\n  ${issues}`);
  }
  return parsed.data;
}

export function loadNhsaKeys(dataDir: string, keyFile: string): NhsaKeys {
  const file = path.resolve(dataDir, keyFile);
  return NhsaKeysSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** The backup folders of a data dir, absolute. */
/**
 * What 2601 may reverse at this station: the national list, and 2201 only where the province reverses a lost
 * registration by 2601 (nhsa.lostRegistration). Nothing else is ever sent a 2601.
 */
export function reversibleInfnosOf(nhsa: Pick<StationConfig['nhsa'], 'lostRegistration'>): string[] {
  return nhsa.lostRegistration === 'reverse-2601' ? [...DEFAULT_REVERSIBLE_INFNOS, '2201'] : [...DEFAULT_REVERSIBLE_INFNOS];
}

export function backupSettingsOf(config: Pick<StationConfig, 'backup'>, dataDir: string) {
  const dir = path.resolve(dataDir, config.backup.dir);
  return {
    dir,
    keyDir: config.backup.keyDir ? path.resolve(dataDir, config.backup.keyDir) : path.join(dir, 'keys'),
    everyMinutes: config.backup.everyMinutes,
    keep: config.backup.keep,
  };
}
