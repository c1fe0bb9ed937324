import { StationMetaRepo, type Db } from '../../station/store';
import { checkCentreAfterRestore } from '../../station/backup';
import { IntentsRepo } from '../../station/outbox';
import { OperatorsRepo } from '../../station/store/operators-repo';
import type { FieldCipher } from '../../station/security/field-cipher';
import type { StationConfig } from '../../station/config';
import type { NhsaGateway } from '../../station/insurance/nhsa-gateway';
import { localDay, type Clock } from '../../station/clock';
import { errorFields, type Logger } from '../../station/log';
import { centreDetailsViaGateway } from '../centre-details';

/**
 * After a restore, in the background (the window can work meanwhile): the centre's settlements since the
 * backup that the database lacks become escalated items in the admin outbox list. A failure (centre offline)
 * leaves the marker unchecked, so the next start asks again.
 */
export function runRestoreCheck(db: Db, cipher: FieldCipher, gateway: NhsaGateway, config: StationConfig, clock: Clock, log: Logger) {
  const meta = new StationMetaRepo(db);
  if (!meta.pendingRestore()) return Promise.resolve(null);
  const admin = new OperatorsRepo(db).listForAdmin('').find((o) => o.roles.includes('admin') && !o.disabled);
  const operator = admin ? { id: admin.id, name: admin.name, role: 'admin' as const } : undefined;
  if (!operator) {
    log.error('the check after a restore needs an administrator to sign in at the centre: add one and restart');
    return Promise.resolve(null);
  }
  return checkCentreAfterRestore({
    db,
    meta,
    intents: new IntentsRepo(db, cipher),
    centre: centreDetailsViaGateway(gateway, operator),
    homeRegion: config.institution.admdvs,
    localDay: (at) => localDay(at, config.timeZone),
    now: () => clock.now(),
  }).then(
    (r) => {
      if (r) log.warn('check after restore: centre settlements this database lacks were listed for a person', { listed: r.listed.length });
      return r;
    },
    (e: unknown) => {
      log.error('check after restore failed (tried again at the next start)', errorFields(e));
      return null;
    },
  );
}
