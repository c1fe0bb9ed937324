/**
 * The station's links to the outside, built from its configuration and key file: the NHSA gateway (with the
 * msgid journal in the database), HIS, the payment channel and the optional patient-message service.
 */
import { NhsaClient } from '../../insurance/nhsa';
import { HisClient } from '../../insurance/his';
import { PayChannelClient } from '../../insurance/pay-channel';
import { MessageClient } from '../../insurance/messages';
import { EBillClient } from '../../insurance/ebill';
import { loadNhsaKeys, reversibleInfnosOf, type StationConfig } from '../../station/config';
import { PersistentMsgIdAllocator } from '../../station/insurance/persistent-msgids';
import { NhsaGateway } from '../../station/insurance/nhsa-gateway';
import type { NhsaRepo } from '../../station/store/nhsa-repo';
import { durable, durableFetch, type Db } from '../../station/store';
import type { EventBus } from '../../station/events';
import type { Clock } from '../../station/clock';

export interface StationLinks {
  gateway: NhsaGateway;
  newMsgid: () => string;
  his: HisClient;
  pay: PayChannelClient;
  messages: MessageClient | undefined;
  /** The e-bill gateway and this station's billing point; absent where no `ebill` is configured. */
  ebill: { port: EBillClient; placeCode: string } | undefined;
}

export function createLinks(
  dataDir: string,
  config: StationConfig,
  parts: { db: Db; nhsaRepo: NhsaRepo; bus: EventBus; clock: Clock; nhsaTimeoutMs: number | undefined },
): StationLinks {
  const { nhsaRepo, bus, clock } = parts;
  // Every request waits for the database's barrier: the msgid, journal row or intent behind it is on the disk first.
  // HIS's reads carry nothing of the station's and skip it; its writes wait (HisClient's beforeWrite).
  const fetch = durableFetch(parts.db);
  const keys = loadNhsaKeys(dataDir, config.nhsa.keyFile);
  const msgids = new PersistentMsgIdAllocator(nhsaRepo, config.institution.code, config.timeZone, config.nhsa.msgidBlock);
  const gateway = new NhsaGateway({
    // The gateway builds its client so it can journal each msgid before the request leaves.
    client: (journalBeforeSend) =>
      new NhsaClient(
        {
          baseUrl: config.nhsa.baseUrl,
          urlStyle: config.nhsa.urlStyle,
          profile: config.nhsa.profile,
          institution: config.institution,
          centreRegion: config.nhsa.centreRegion,
          recerSysCode: config.nhsa.recerSysCode,
          infver: config.nhsa.infver,
          timeoutMs: parts.nhsaTimeoutMs ?? config.nhsa.timeoutMs,
          clientId: keys.clientId,
          stationPrivateKeyHex: keys.stationPrivateKeyHex,
          centrePublicKeyHex: keys.centrePublicKeyHex,
          ...(config.nhsa.userId ? { userId: config.nhsa.userId } : {}),
          ...(config.nhsa.maxAnswerBytes ? { maxAnswerBytes: config.nhsa.maxAnswerBytes } : {}),
          ...(config.nhsa.maxFileBytes ? { maxFileBytes: config.nhsa.maxFileBytes } : {}),
          reversibleInfnos: reversibleInfnosOf(config.nhsa),
        },
        { msgids, now: () => clock.now(), onSend: journalBeforeSend, fetch },
      ),
    repo: nhsaRepo,
    bus,
    clock,
    institutionCode: config.institution.code,
    voucher: { baseUrl: config.voucher.baseUrl, timeoutMs: parts.nhsaTimeoutMs ?? config.voucher.timeoutMs },
  });
  const his = new HisClient(
    {
      baseUrl: config.his.baseUrl,
      appId: config.his.appId,
      appSecret: keys.hisAppSecret,
      timeoutMs: config.his.timeoutMs,
    },
    { beforeWrite: () => durable(parts.db) },
  );
  const pay = new PayChannelClient(
    {
      baseUrl: config.payChannel.baseUrl,
      mchId: config.payChannel.mchId,
      key: keys.payChannelKey,
      timeoutMs: config.payChannel.timeoutMs,
    },
    { fetch },
  );
  const messages = config.messages
    ? new MessageClient(
        {
          baseUrl: config.messages.baseUrl,
          mchId: config.payChannel.mchId,
          key: keys.payChannelKey,
          timeoutMs: config.messages.timeoutMs,
          templateIds: config.messages.templateIds,
        },
        { fetch },
      )
    : undefined;
  const ebill = config.ebill
    ? { port: ebillClient(config.ebill, keys, config.nhsa.keyFile, fetch), placeCode: config.ebill.placeCode }
    : undefined;
  return { gateway, newMsgid: () => msgids.next(clock.now()), his, pay, messages, ebill };
}

function ebillClient(
  ebill: NonNullable<StationConfig['ebill']>,
  keys: { ebillAppKey?: string | undefined },
  keyFile: string,
  fetch: typeof globalThis.fetch,
): EBillClient {
  if (!keys.ebillAppKey) throw new Error(`已配置 ebill，但密钥文件 ${keyFile} 缺少 ebillAppKey`);
  return new EBillClient({ baseUrl: ebill.baseUrl, appId: ebill.appId, appKey: keys.ebillAppKey, timeoutMs: ebill.timeoutMs }, { fetch });
}
