/**
 * `npm run station -- outbox status | list [--all] | show ID | retry ID [--data-dir DIR]`
 *
 * For IT staff at the workstation: what the outbox holds, without the app's screens. It opens the data dir's
 * SQLite file alongside a running station (WAL allows it); `retry` only moves an intent's next look to now —
 * the running station's resolver (or the next start) does the work, with the same ids as before.
 */
import { IntentsRepo, OPEN_STATES } from '../../station/outbox/intents-repo';
import { AuditRepo } from '../../station/store/audit-repo';
import { toIntentView } from '../../station/outbox/intent-view';
import { INTENT_STATE_LABELS } from '../../shared/domain';
import { openStationDb } from './station-db';
import type { CliArgs } from './args';

export function runOutboxCommand(args: CliArgs): void {
  const [command, id] = args.positional;
  const { dataDir } = args;
  if (!command) args.usage();
  const station = openStationDb(dataDir);
  if (!station) return;
  const { db } = station;
  const repo = new IntentsRepo(db, station.cipher());
  try {
    switch (command) {
      case 'status': {
        const counts = repo.counts();
        console.log(`data dir ${dataDir}`);
        for (const [state, n] of Object.entries(counts)) {
          console.log(`  ${state.padEnd(13)} ${String(n).padStart(6)}  ${INTENT_STATE_LABELS[state as keyof typeof INTENT_STATE_LABELS]}`);
        }
        const open = counts.prepared + counts.unknown + counts.compensating;
        console.log(open || counts.escalated ? `in doubt ${open}, waiting for a person ${counts.escalated}` : 'nothing in doubt');
        process.exitCode = counts.escalated > 0 ? 3 : 0;
        break;
      }
      case 'list': {
        const rows = repo.list(500, args.flag('--all') ? undefined : OPEN_STATES).map(toIntentView);
        if (rows.length === 0) console.log('no intents');
        for (const r of rows) {
          console.log(`${r.id}  ${r.createdAt}  ${r.state.padEnd(12)} ${r.kindLabel}  order ${r.orderId}  id ${r.externalId}  ${r.detail}`);
        }
        break;
      }
      case 'show': {
        if (!id) args.usage();
        const intent = repo.get(id);
        if (!intent) {
          console.error(`no intent ${id}`);
          process.exitCode = 1;
          break;
        }
        console.log(JSON.stringify({ ...toIntentView(intent), compExternalId: intent.compExternalId, nextAt: intent.nextAt }, null, 2));
        for (const t of repo.transitions(id)) console.log(`  ${t.at}  ${t.from ?? '—'} → ${t.to}  by ${t.actor}  ${t.detail}`);
        break;
      }
      case 'retry': {
        if (!id) args.usage();
        const intent = repo.get(id);
        if (!intent || !['unknown', 'compensating'].includes(intent.state)) {
          console.error(`intent ${id} is not being resolved (state ${intent?.state ?? 'none'})`);
          process.exitCode = 1;
          break;
        }
        const now = new Date();
        db.transaction(() => {
          repo.reschedule(id, now, '信息科要求立即重试（命令行）', now);
          new AuditRepo(db, 'cli').append({ operatorId: null, action: 'outbox.retry', outcome: 'ok', detail: id }, now);
        })();
        console.log(`intent ${id} will be looked at again now (same ids as before)`);
        break;
      }
      default:
        args.usage();
    }
  } finally {
    db.close();
  }
}
