/**
 * What the serial and the HID scan box share beyond their link: the codes they produce, each with the
 * monotonic time its last data arrived, so the station cannot tell the two apart.
 */
import { type Disposable, Emitter } from '../../shared/lifecycle';
import type { ScannerDriver } from './device-driver';
import { LinkedDriver } from './linked-driver';
import type { LinkConnection } from './reconnecting-link';

export abstract class LinkedScanner<C extends LinkConnection> extends LinkedDriver<C> implements ScannerDriver {
  private readonly codes = new Emitter<{ code: string; receivedAt: number }>();

  readonly onCode = (listener: (code: string, receivedAt: number) => void): Disposable =>
    this.codes.event(({ code, receivedAt }) => listener(code, receivedAt));

  /** For the parser's onCode: a code completed by the data that arrived at receivedAt. */
  protected scanned(code: string): void {
    this.codes.fire({ code, receivedAt: this.receivedAt });
  }

  protected override disposeEvents(): void {
    this.codes.dispose();
    super.disposeEvents();
  }
}
