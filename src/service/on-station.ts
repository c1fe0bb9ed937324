/**
 * The settlement service on a composed station: its keys and settings from the station's data dir, the station's
 * database, inpatient core and message client. `npm run service` (a station of its own) and `npm start -- --service`
 * (beside the screens, so stays the nurse admits at the bedside are the ones the phones settle) both start it here.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ComposedStation } from '../app/compose';
import { errorFields } from '../station/log';
import { loadServiceKeys, type AppKey } from './app-keys';
import { loadServiceConfig, ServiceConfigSchema } from './config';
import { mobilePayPort } from './mobile-pay-port';
import { NOT_WIRED_PAY } from './not-wired-pay';
import type { MobilePayPort } from './ports';
import { startSettlementService, type SettlementService } from './settlement-service';

export async function startServiceOnStation(
  station: ComposedStation,
  dataDir: string,
  o: { port?: number; pay?: MobilePayPort } = {},
): Promise<SettlementService & { reloadApps(): number }> {
  const fileConfig = loadServiceConfig(dataDir);
  const config = o.port === undefined ? fileConfig : ServiceConfigSchema.parse({ ...fileConfig, port: o.port });
  let apps: readonly AppKey[] = loadServiceKeys(dataDir).apps;
  const log = station.logger.child({ capability: 'service' });
  const mobile = station.mobilePay;
  const phonePageDir = path.join(path.dirname(station.rendererDir), 'phone');
  // The API works without it; the patient's page at /m/ answers 404 until npm run build:renderer has built it.
  if (!fs.existsSync(path.join(phonePageDir, 'index.html'))) log.warn('patient page not built', { phonePageDir });
  const service = await startSettlementService({
    db: station.db,
    inpatient: station.inpatient,
    // The station's mobile-payment channel where `mobilePay` is configured (always in training), else refusing.
    pay: o.pay ?? (mobile ? mobilePayPort({ settlement: mobile.settlement, inpatient: station.inpatient, now: Date.now }) : NOT_WIRED_PAY),
    messages: station.messages,
    outpatient: { ...station.outpatient, mobile: mobile?.settlement ?? null },
    apps: () => apps,
    config,
    phonePageDir,
    onError: (what, e) => log.error(what, errorFields(e)),
    ...(mobile ? { callbacks: [{ path: mobile.callbackPath, handle: (body: unknown) => mobile.settlement.onNotify(body) }] } : {}),
  });
  // A discharge paid before a stop whose HIS booking never started is booked now (the phone was told "paid").
  if (mobile) void mobile.settlement.resumeHisBookings().catch((e: unknown) => log.error('resuming HIS bookings failed', errorFields(e)));
  // A refund stopped between HIS's cancel and its 6203 goes on (the phone was told "refunding").
  if (mobile) void mobile.settlement.resumeRefunds().catch((e: unknown) => log.error('resuming refunds failed', errorFields(e)));
  // Training: the simulated centre calls back here, wherever the service listens this time.
  if (mobile) station.training?.notifyMobilePayTo(`${service.url}${mobile.callbackPath}`);
  return {
    ...service,
    /** The key file read again (SIGHUP): the number of apps now registered. */
    reloadApps: () => {
      apps = loadServiceKeys(dataDir).apps;
      return apps.length;
    },
  };
}
