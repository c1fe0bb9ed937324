import type { StationEventMap } from '../shared/api';
import { EventBus as Bus } from '../shared/lifecycle';
import { errorFields, silentLogger, type Logger } from './log';

/** Station-wide events (devices, scans, connectivity, orders). Listeners are isolated: one that throws harms no other. */
export class EventBus extends Bus<StationEventMap> {
  constructor(log: Logger = silentLogger) {
    super((error) => log.error('a station event listener threw', errorFields(error)));
  }
}
