/**
 * Crash-test child: runs one 2207 through the outbox of the data dir it is given, then waits for its answer —
 * the parent kills it with SIGKILL while the request is in flight. argv: dataDir, JSON {centre, payload, msgid}.
 */
import { createSettlementRig, type CentreConnection } from './settlement-rig';
import { MOVEMENT_KINDS } from '../../movements';
import type { SettlementPayload } from '../movements';

const [dataDir, json] = process.argv.slice(2);
const { centre, payload, msgid } = JSON.parse(json!) as { centre: CentreConnection; payload: SettlementPayload; msgid: string };
const rig = createSettlementRig(dataDir!, centre);
await rig.outbox.run(MOVEMENT_KINDS.settlement, { orderId: 'order-crash', externalId: msgid, payload });
console.log('answered'); // never reached when the parent kills us in time
await rig.close();
