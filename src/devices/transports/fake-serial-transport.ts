/**
 * An in-memory SerialTransport for unit tests of drivers and of the station (serialport's `binding-mock` in
 * spirit): ports are plugged and unplugged by path, and an unplug can be silent — no close event — the way
 * some drivers behave (serialport #2351).
 */
import type { Disposable } from '../../shared/lifecycle';
import { Emitter } from '../../shared/lifecycle';
import type { SerialConnection, SerialSettings, SerialTransport } from './serial-transport';

export class FakeSerialTransport implements SerialTransport {
  private readonly ports = new Map<string, FakeSerialPort>();
  private readonly openFailures = new Map<string, Error[]>();
  private generation = 0;
  /** every open attempt, in order, with the settings asked for */
  readonly openAttempts: { path: string; settings: SerialSettings }[] = [];

  /** Makes a device appear at `path` (a replug gets a new fingerprint, like a new device node). */
  plug(path: string): FakeSerialPort {
    const port = new FakeSerialPort(path, `fake:${path}#${++this.generation}`);
    this.ports.set(path, port);
    return port;
  }

  /** Removes the device. With `silently`, open connections get no close event, only dead silence. */
  unplug(path: string, { silently = false } = {}): void {
    const port = this.ports.get(path);
    if (!port) throw new Error(`nothing plugged at ${path}`);
    this.ports.delete(path);
    port.disconnect(silently);
  }

  port(path: string): FakeSerialPort | undefined {
    return this.ports.get(path);
  }

  /** The next open of `path` fails with `error`, even if a device is there (busy, permission denied). */
  failNextOpen(path: string, error: Error): void {
    this.openFailures.set(path, [...(this.openFailures.get(path) ?? []), error]);
  }

  async open(path: string, settings: SerialSettings): Promise<SerialConnection> {
    this.openAttempts.push({ path, settings });
    await Promise.resolve(); // opening is never synchronous for real
    const failure = this.openFailures.get(path)?.shift();
    if (failure) throw failure;
    const port = this.ports.get(path);
    if (!port) throw Object.assign(new Error(`Error: No such file or directory, cannot open ${path}`), { code: 'ENOENT' });
    return port.connect();
  }

  async locate(path: string): Promise<string | null> {
    return this.ports.get(path)?.fingerprint ?? null;
  }
}

export class FakeSerialPort {
  private readonly connections = new Set<FakeConnection>();
  /** bytes the host wrote to the device */
  readonly written: Uint8Array[] = [];

  constructor(
    readonly path: string,
    readonly fingerprint: string,
  ) {}

  get openConnectionCount(): number {
    return this.connections.size;
  }

  /** The device sends bytes to the host (to every open connection, as a shared tty would). */
  send(bytes: Uint8Array | string): void {
    const chunk = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    for (const connection of this.connections) connection.deliver(chunk);
  }

  /** A read error on open connections, e.g. EIO from a flaky cable. */
  failRead(error: Error): void {
    for (const connection of this.connections) connection.fail(error);
  }

  connect(): FakeConnection {
    const connection = new FakeConnection(this, (bytes) => this.written.push(bytes));
    this.connections.add(connection);
    return connection;
  }

  release(connection: FakeConnection): void {
    this.connections.delete(connection);
  }

  disconnect(silently: boolean): void {
    for (const connection of [...this.connections]) connection.lose(silently);
  }
}

class FakeConnection implements SerialConnection {
  private readonly data = new Emitter<Uint8Array>();
  private readonly closed = new Emitter<Error | undefined>();
  private readonly errors = new Emitter<Error>();
  private isOpen = true;

  readonly onData: (listener: (chunk: Uint8Array) => void) => Disposable = this.data.event;
  readonly onClose: (listener: (error?: Error) => void) => Disposable = this.closed.event;
  readonly onError: (listener: (error: Error) => void) => Disposable = this.errors.event;

  constructor(
    private readonly port: FakeSerialPort,
    private readonly record: (bytes: Uint8Array) => void,
  ) {}

  deliver(chunk: Uint8Array): void {
    if (this.isOpen) this.data.fire(chunk);
  }

  fail(error: Error): void {
    if (this.isOpen) this.errors.fire(error);
  }

  lose(silently: boolean): void {
    this.isOpen = false;
    this.port.release(this);
    if (!silently) this.closed.fire(Object.assign(new Error('device disconnected'), { disconnected: true }));
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.isOpen) throw new Error('Port is not open');
    this.record(bytes);
  }

  async close(): Promise<void> {
    this.isOpen = false;
    this.port.release(this);
  }
}
