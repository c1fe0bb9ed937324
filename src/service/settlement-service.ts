/**
 * The settlement service over a running station core: its records in the station's SQLite, the phone's
 * settlement over the inpatient core and the mobile-pay port, the HTTP server, the message outbox drained on a
 * timer, the request books pruned. `npm run service` (main.ts) and the tests start it the same way.
 */
import type { MessageClient } from '../insurance/messages';
import type { InpatientStation } from '../station/inpatient/inpatient-station';
import type { Db } from '../station/store';
import type { AppKey } from './app-keys';
import type { ServiceConfig } from './config';
import { inpatientRoutes } from './inpatient-routes';
import { openApiDocument } from './openapi';
import { OutpatientPaying, type OutpatientPayingDeps } from './outpatient-paying';
import { outpatientRoutes } from './outpatient-routes';
import { PatientMessages } from './patient-messages';
import { PhoneSettlement } from './phone-settlement';
import { phoneRoutes } from './phone-routes';
import { PhoneSessions } from './phone-sessions';
import type { MobilePayPort } from './ports';
import { nonceHorizon, SqliteRequestBooks, type RequestBooks } from './request-books';
import { startServiceServer, type ServiceCallback } from './server';
import { SettlementsRepo } from './settlements-repo';

export const SERVICE_VERSION = '1.0.0';

export interface SettlementServiceDeps {
  db: Db;
  inpatient: Pick<InpatientStation, 'stays' | 'ward' | 'service'>;
  pay: MobilePayPort;
  messages: Pick<MessageClient, 'send'> | null;
  apps: () => readonly AppKey[];
  config: ServiceConfig;
  now?: () => number;
  /** The hospital ledger's books later; the station's SQLite by default. */
  books?: RequestBooks;
  /** The built patient page served under /m/ (dist/phone beside the station's renderer). */
  phonePageDir: string;
  onError?: (what: string, e: unknown) => void;
  /** HIS's outpatient side and the mobile payment for outpatient bills (ZS-09); absent: no outpatient routes. */
  outpatient?: Omit<OutpatientPayingDeps, 'resultWaitMs'>;
  /** The payment centre's callbacks (the mobile-payment settlement notice), served unsigned beside /v1. */
  callbacks?: readonly ServiceCallback[];
}

export interface SettlementService {
  url: string;
  messages: PatientMessages;
  /** One pass of the background work now (the timer's): awaiting stays noticed, messages sent, books pruned. */
  tick(): Promise<void>;
  /** What is served (the OpenAPI test compares /openapi.json with it). */
  routes: readonly { method: string; path: string }[];
  close(): Promise<void>;
}

export async function startSettlementService(d: SettlementServiceDeps): Promise<SettlementService> {
  const now = d.now ?? Date.now;
  const books = d.books ?? new SqliteRequestBooks(d.db);
  const messages = new PatientMessages(d.db, d.messages);
  const phone = new PhoneSettlement({
    inpatient: d.inpatient,
    pay: d.pay,
    settlements: new SettlementsRepo(d.db),
    messages,
    config: d.config,
    now,
  });
  // Whatever a stopped service left half-done (its data dir lock says none runs now): keys free, unpaid ones failed.
  books.releaseAbandoned();
  phone.failAbandoned();
  const sessions = new PhoneSessions(now);
  const routes = [
    ...inpatientRoutes(phone),
    ...phoneRoutes(phone, sessions),
    ...(d.outpatient ? outpatientRoutes(new OutpatientPaying({ ...d.outpatient, resultWaitMs: d.config.outpatientResultWaitMs })) : []),
  ];
  const openApi = openApiDocument(routes, SERVICE_VERSION);
  const server = await startServiceServer({
    routes,
    apps: d.apps,
    books,
    openApi: () => openApi,
    now,
    sessions,
    phonePageDir: d.phonePageDir,
    host: d.config.host,
    port: d.config.port,
    onError: (e) => d.onError?.('request failed', e),
    ...(d.callbacks ? { callbacks: d.callbacks } : {}),
  });
  // One pass at a time: stays newly awaiting settlement, then the messages owed, then the books pruned.
  let draining: Promise<void> | null = null;
  const tick = () =>
    (draining ??= (async () => {
      await phone.notifyAwaiting();
      await messages.drain(now);
      books.prune({ nonces: nonceHorizon(now()), keys: now() - d.config.idempotencyHours * 3_600_000 });
    })()
      .catch((e: unknown) => d.onError?.('message outbox failed', e))
      .finally(() => (draining = null)));
  const timer = setInterval(() => void tick(), d.config.messagesEveryMs);
  timer.unref();
  return {
    url: server.url,
    messages,
    tick,
    routes: routes.map((r) => ({ method: r.method, path: r.path })),
    async close() {
      clearInterval(timer);
      await draining;
      await server.close();
    },
  };
}
