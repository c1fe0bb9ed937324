/**
 * NHSA mobile payment (医保移动支付) composed into the station: the channel's client from `mobilePay` and the key
 * file, its movements (6201/6202/6203/6401 and HIS's booking of a phone-paid discharge or outpatient bill) for the outbox, and the
 * MobileSettlement bound to the station's outbox once it exists. The outbox's `finished` event goes to
 * `afterFinished`, so a discharge whose lost 6202 the resolver settled is still booked at HIS, and a refund whose
 * HIS cancel the resolver settled goes on to its 6203.
 */
import { HisWardClient, type HisClient } from '../../insurance/his';
import { MobilePayClient, MobilePayConfigSchema } from '../../insurance/mobile-pay';
import { loadNhsaKeys, type StationConfig } from '../../station/config';
import type { Logger } from '../../station/log';
import { errorFields } from '../../station/log';
import {
  MobileOrdersRepo,
  MobileSettlement,
  mobileClinicBookingMovement,
  mobileClinicCancelMovement,
  mobileMovements,
  mobileWardBookingMovement,
  mobileWardCancelMovement,
  newMobileId,
} from '../../station/mobile-pay';
import { StaysRepo, type PhoneRefund } from '../../station/inpatient';
import type { FinalState, Movement, Outbox } from '../../station/outbox';
import type { FieldCipher } from '../../station/security';
import { durableFetch, type Db } from '../../station/store';

export interface MobilePayWiring {
  movements: Movement[];
  /** Where the settlement service takes the centre's callback. */
  callbackPath: string;
  /** The outbox's `finished` event (before `bind`, nothing of this channel can have finished). */
  afterFinished(intent: { kind: string; orderId: string; final: FinalState }): void;
  /**
   * The channel over the station's outbox; called once, after the station is created. `billFollows`: the stay's
   * e-bill after HIS booked a phone-paid discharge or its 6203 reopened the stay.
   */
  bind(outbox: Outbox, billFollows?: (iptNo: string) => void): MobileSettlement;
  /** Resolves when the HIS bookings the `finished` events started are done (closing waits for them). */
  idle(): Promise<void>;
  /** The stay's live order on the phone, if any (the bedside refuses to settle such a stay again). */
  liveOrderFor(iptNo: string): string | null;
  /** The window's undo of a discharge settled on the phone takes the phone's refund (HM-07). */
  phoneRefund: PhoneRefund;
}

export interface MobilePayParts {
  db: Db;
  cipher: FieldCipher;
  his: HisClient;
  now: () => Date;
  log: Logger;
  timeoutMs?: number | undefined;
}

/** Null where the station has no `mobilePay` section: phones are then told to settle at the window. */
export function wireMobilePay(dataDir: string, config: StationConfig, p: MobilePayParts): MobilePayWiring | null {
  const mp = config.mobilePay;
  if (!mp) return null;
  const keys = loadNhsaKeys(dataDir, config.nhsa.keyFile);
  if (!keys.mobilePayAppSecret || !keys.mobilePayPrivateKeyHex || !keys.mobilePayCentrePublicKeyHex)
    throw new Error(
      `已配置 mobilePay，但密钥文件 ${config.nhsa.keyFile} 缺少 mobilePayAppSecret / mobilePayPrivateKeyHex / mobilePayCentrePublicKeyHex`,
    );
  const client = new MobilePayClient(
    MobilePayConfigSchema.parse({
      baseUrl: mp.baseUrl,
      appId: mp.appId,
      appSecret: keys.mobilePayAppSecret,
      orgCodg: config.institution.code,
      privateKeyHex: keys.mobilePayPrivateKeyHex,
      centrePublicKeyHex: keys.mobilePayCentrePublicKeyHex,
      ...(mp.userId ? { userId: mp.userId } : {}),
      timeoutMs: p.timeoutMs ?? mp.timeoutMs,
    }),
    () => new Date(),
    durableFetch(p.db),
  );
  const orders = new MobileOrdersRepo(p.db, p.cipher);
  orders.fillPersonNumbers(); // orders from before migration 036: the finance lists find their patient
  const ward = new HisWardClient(p.his);
  const stays = new StaysRepo(p.db, p.cipher);
  let settlement: MobileSettlement | null = null;
  const busy = new Set<Promise<void>>();
  return {
    movements: [
      ...mobileMovements({ client, orders, stays, now: p.now, newId: newMobileId }),
      mobileWardBookingMovement({ his: ward, stays, orders, newId: newMobileId, now: p.now }),
      mobileClinicBookingMovement({ his: p.his, orders, newId: newMobileId, now: p.now }),
      mobileClinicCancelMovement({ his: p.his, orders, newId: newMobileId, now: p.now }),
      mobileWardCancelMovement({ his: ward, stays, orders, newId: newMobileId, now: p.now }),
    ],
    callbackPath: mp.callbackPath,
    liveOrderFor: (iptNo) => orders.liveForStay(iptNo),
    phoneRefund: {
      orderOf: (iptNo, setlId) => orders.settledStay(iptNo, setlId),
      refund(orderId, reason) {
        if (!settlement) throw new Error('mobile payment is not bound to the station yet');
        return settlement.refund({ orderId }, reason);
      },
    },
    afterFinished(intent) {
      if (!settlement) return;
      const step = settlement
        .afterFinished(intent)
        .catch((e: unknown) => p.log.error('mobile-pay next step failed', { orderId: intent.orderId, ...errorFields(e) }))
        .finally(() => busy.delete(step));
      busy.add(step);
    },
    bind(outbox, billFollows) {
      settlement = new MobileSettlement({
        db: p.db,
        orders,
        outbox,
        client,
        now: p.now,
        ward: { his: ward, stays, ...(billFollows ? { billFollows } : {}) },
        clinic: { his: p.his },
        log: (m) => p.log.warn(m),
      });
      return settlement;
    },
    idle: async () => {
      await Promise.allSettled([...busy]);
    },
  };
}
