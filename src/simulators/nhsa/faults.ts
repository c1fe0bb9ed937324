/**
 * Fault injection. A rule matches a transaction code (or '*', or 'ec.query' for the voucher service) and
 * applies to the next `times` matching requests (every one until clear() when `times` is omitted). With a
 * `probability` it strikes only that share of matching requests, drawn from the centre's seeded generator — the
 * same seed and the same requests give the same faults, so a chaos run can be replayed.
 *
 * What each fault does to the centre's state is part of its contract, because the station's recovery depends
 * on it:
 *   delay            processed; the answer leaves after `ms`
 *   drop-request     not processed; the connection is destroyed on arrival
 *   drop-response    processed (and recorded); the connection is destroyed instead of answering
 *   http-500         not processed; a gateway-style HTTP 500
 *   malformed-json   processed; the answer body is truncated JSON
 *   bad-signature    processed; the answer's cainfo does not verify
 *   wrong-refmsgid   processed; inf_refmsgid names another region
 *   business-error   not processed (after the request is verified); infcode -1 with `errMsg`
 *
 * A file answer (9102) has no signature or refmsgid to spoil: bad-signature and wrong-refmsgid leave it as is,
 * malformed-json cuts it short.
 */
import { z } from 'zod';
import type { Random } from './random';

export const FaultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('delay'), ms: z.number().int().min(0).max(600_000) }),
  z.object({ kind: z.literal('drop-response') }),
  z.object({ kind: z.literal('drop-request') }),
  z.object({ kind: z.literal('http-500') }),
  z.object({ kind: z.literal('malformed-json') }),
  z.object({ kind: z.literal('bad-signature') }),
  z.object({ kind: z.literal('wrong-refmsgid') }),
  z.object({ kind: z.literal('business-error'), errMsg: z.string().min(1) }),
]);
export type Fault = z.infer<typeof FaultSchema>;

export const FaultRuleSchema = z.object({
  infno: z.string().min(1),
  fault: FaultSchema,
  times: z.number().int().positive().optional(),
  probability: z.number().gt(0).max(1).optional(),
});
export type FaultRule = z.infer<typeof FaultRuleSchema>;

export class FaultBook {
  private rules: { infno: string; fault: Fault; remaining: number; probability: number }[] = [];

  constructor(private readonly random: Random) {}

  inject(rule: FaultRule): void {
    const parsed = FaultRuleSchema.parse(rule);
    this.rules.push({
      infno: parsed.infno,
      fault: parsed.fault,
      remaining: parsed.times ?? Infinity,
      probability: parsed.probability ?? 1,
    });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule that matches `infno` and strikes, consumed once; undefined when none applies. */
  take(infno: string): Fault | undefined {
    for (const rule of this.rules) {
      if (rule.remaining <= 0 || (rule.infno !== infno && rule.infno !== '*')) continue;
      if (rule.probability < 1 && this.random() >= rule.probability) continue;
      rule.remaining -= 1;
      return rule.fault;
    }
    return undefined;
  }
}
