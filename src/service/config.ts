/**
 * The service's settings (`<data dir>/service.config.json`, optional): where it listens, the hospital's geofence
 * the phone must be inside to settle (HM-11), how fresh a face verification must be, and the discharge guidance's
 * fixed texts (HM-12). Absent: the training defaults below.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const SERVICE_CONFIG_FILE = 'service.config.json';

export const ServiceConfigSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(8460),
  /** The hospital's grounds: a circle (WGS-84). A phone settles only inside it, as its location says. */
  geofence: z
    .object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      radiusMeters: z.number().int().min(50).max(20_000),
    })
    .default({ latitude: 24.4798, longitude: 118.0894, radiusMeters: 800 }),
  /** A face verification older than this is done again before paying. */
  faceMaxAgeSeconds: z.number().int().min(30).max(3600).default(300),
  guidance: z
    .object({
      printing: z.string().min(1).default('出院结算单和电子发票可在住院收费处或门诊大厅自助机打印，也可在公众号“我的票据”中查看。'),
      leaving: z
        .array(z.string().min(1))
        .min(1)
        .default(['结算完成后到护士站领取出院小结和出院带药', '归还病员服和陪护用品', '凭结算结果页面离开病区，无需再到收费窗口']),
    })
    .default({
      printing: '出院结算单和电子发票可在住院收费处或门诊大厅自助机打印，也可在公众号“我的票据”中查看。',
      leaving: ['结算完成后到护士站领取出院小结和出院带药', '归还病员服和陪护用品', '凭结算结果页面离开病区，无需再到收费窗口'],
    }),
  /** How long an idempotency key's answer is kept. */
  idempotencyHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
  /** ZS-09: an outpatient payment's answer waits this long for the result, then says "processing" (at most 5 s). */
  outpatientResultWaitMs: z.number().int().min(100).max(5_000).default(5_000),
  /** How often the message outbox is drained (HM-13/14). */
  messagesEveryMs: z.number().int().min(50).max(600_000).default(5_000),
});
export type ServiceConfig = z.output<typeof ServiceConfigSchema>;

export function loadServiceConfig(dataDir: string): ServiceConfig {
  const file = path.join(dataDir, SERVICE_CONFIG_FILE);
  return ServiceConfigSchema.parse(fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {});
}
