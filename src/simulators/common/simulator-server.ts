/**
 * What the simulators behind a JSON server share (payment platform, HIS, message gateway): their routes below
 * a base path, a `__control` endpoint whose commands are checked before they run, the fault commands, and
 * closing the server before what it serves from.
 */
import { z } from 'zod';
import { FaultRuleSchema, type Fault, type FaultRule } from '../pay-channel/faults';
import { parseObject, startJsonServer, type Exchange } from '../pay-channel/http-server';
import { appendBounded } from '../bounded-log';
/** A running simulator: where it listens, the control tests and the training tools drive it by, and its end. */
export interface Simulator<Control> {
  url: string;
  control: Control;
  close(): Promise<void>;
}

export type Route = readonly [path: string, serve: (exchange: Exchange) => Promise<void>];

/**
 * Starts a simulator's JSON server: `routes` are the paths below `base` (its gateway or operations, its
 * control) with what serves each; any other path is 404. Closing it closes the server, then `closing` (the
 * simulator's database) in order.
 */
export async function startSimulator<Control>(opts: {
  name: string;
  port: number | undefined;
  base: string;
  routes: readonly Route[];
  control: Control;
  /** closed at once (synchronously), in order, once the server has closed */
  closing: readonly { close(): unknown }[];
}): Promise<Simulator<Control>> {
  const routes = new Map(opts.routes.map(([path, serve]) => [`${opts.base}${path}`, serve]));
  const server = await startJsonServer({
    name: opts.name,
    port: opts.port,
    handle: async (exchange) => routes.get(exchange.path)?.(exchange) ?? exchange.answer(404, '{"error":"not found"}'),
  });
  return {
    url: `${server.origin}${opts.base}`,
    control: opts.control,
    async close() {
      await server.close();
      for (const part of opts.closing) part.close();
    },
  };
}

/**
 * Answers a simulator's `__control` request: the body checked against `schema` (400 with what is wrong
 * otherwise), then what `run` returns as JSON — `{"ok":true}` when it returns nothing.
 */
export function serveControl<C>(exchange: Exchange, schema: z.ZodType<C>, run: (command: C) => unknown): Promise<void> {
  const parsed = schema.safeParse(parseObject(exchange.body));
  if (!parsed.success) return exchange.answer(400, JSON.stringify({ error: parsed.error.message }));
  return exchange.answer(200, JSON.stringify(run(parsed.data) ?? { ok: true }));
}

/**
 * The start of every served request: the fault it drew (if any) is noted in its entry, which joins the log,
 * and a fault that strikes before anything is processed (drop-request, http-500) is applied. Then the answer
 * is returned, and the request must not be processed; otherwise undefined.
 */
export function admitRequest<E extends { fault?: Fault['kind'] }>(
  exchange: Exchange,
  fault: Fault | undefined,
  entry: E,
  log: E[],
): Promise<void> | undefined {
  if (fault) entry.fault = fault.kind;
  appendBounded(log, entry);
  if (fault?.kind === 'drop-request') return Promise.resolve(exchange.drop());
  if (fault?.kind === 'http-500') return exchange.answer(500, '', fault);
  return undefined;
}

/** The control commands of every simulator with a FaultBook: add a fault rule, drop them all. */
export const FAULT_COMMANDS = [z.object({ op: z.literal('inject'), rule: FaultRuleSchema }), z.object({ op: z.literal('clear') })] as const;

export type FaultCommand = z.infer<(typeof FAULT_COMMANDS)[number]>;

export function isFaultCommand(command: { op: string }): command is FaultCommand {
  return command.op === 'inject' || command.op === 'clear';
}

export function runFaultCommand(control: { inject(rule: FaultRule): void; clear(): void }, command: FaultCommand): void {
  if (command.op === 'inject') control.inject(command.rule);
  else control.clear();
}
