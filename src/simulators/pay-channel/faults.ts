/**
 * Fault injection for the payment platform, the HIS and the message gateway simulators. A rule names an
 * operation (or '*') and applies to the next `times` matching requests (every one until clear() without it).
 *
 * What each fault does to the simulator's state is part of its contract — the station's recovery relies on it:
 *   delay             processed; the answer leaves after `ms`
 *   drop-request      not processed; the connection is destroyed on arrival
 *   drop-response     processed and committed; the connection is destroyed instead of answering
 *   http-500          not processed; a gateway-style HTTP 500 page
 *   malformed-json    processed; the answer body is cut in half
 *   bad-signature     processed; the answer's signature does not verify
 *   system-error      not processed; a signed answer with the system-busy error (its meaning: "try again")
 *   refuse            not processed; a signed business refusal with the rule's code and message (its meaning: "no")
 *   duplicate-notify  (notify only) the notification is delivered `copies` times (default 2), back to back
 *   notify-lost       (notify only) this delivery attempt never reaches the station; it counts as failed
 */
import { z } from 'zod';

export const FaultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('delay'), ms: z.number().int().min(0).max(600_000) }),
  z.object({ kind: z.literal('drop-request') }),
  z.object({ kind: z.literal('drop-response') }),
  z.object({ kind: z.literal('http-500') }),
  z.object({ kind: z.literal('malformed-json') }),
  z.object({ kind: z.literal('bad-signature') }),
  z.object({ kind: z.literal('system-error') }),
  z.object({ kind: z.literal('refuse'), code: z.string().min(1), msg: z.string().optional() }),
  z.object({ kind: z.literal('duplicate-notify'), copies: z.number().int().min(2).max(10).optional() }),
  z.object({ kind: z.literal('notify-lost') }),
]);
export type Fault = z.infer<typeof FaultSchema>;

export const FaultRuleSchema = z.object({
  op: z.string().min(1),
  fault: FaultSchema,
  times: z.number().int().positive().optional(),
});
export type FaultRule = z.infer<typeof FaultRuleSchema>;

export class FaultBook {
  private rules: { op: string; fault: Fault; remaining: number }[] = [];

  inject(rule: FaultRule): void {
    const parsed = FaultRuleSchema.parse(rule);
    this.rules.push({ op: parsed.op, fault: parsed.fault, remaining: parsed.times ?? Infinity });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first live rule for `op`, consumed once. */
  take(op: string): Fault | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && (r.op === op || r.op === '*'));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.fault;
  }
}
