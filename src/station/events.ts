import type { StationEventMap } from '../shared/api';
import { EventBus as Bus } from '../shared/lifecycle';

/** Station-wide events (devices, scans, connectivity, orders). Listeners are isolated: one that throws harms no other. */
export class EventBus extends Bus<StationEventMap> {
  constructor() {
    super((error) => console.error('[events] a station event listener threw:', error));
  }
}
