/**
 * The serial edge: a thin interface drivers are written against (so they run over a fake in unit tests),
 * and its `serialport` implementation.
 *
 * Each `open` returns a fresh connection, so events of a connection that was already given up (a late
 * "close" after an unplug) can never be mistaken for the current one.
 */
import { stat } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import type { Disposable } from '../../shared/lifecycle';
import { Emitter } from '../../shared/lifecycle';
import { shareRecentResult } from './shared-enumeration';

export interface SerialSettings {
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
}

export interface SerialConnection {
  onData(listener: (chunk: Uint8Array) => void): Disposable;
  /** The port closed on its own (device gone, driver error). Not reliable: see SerialTransport.locate. */
  onClose(listener: (error?: Error) => void): Disposable;
  onError(listener: (error: Error) => void): Disposable;
  /** Resolves once the bytes are handed to the OS. Drivers that send commands serialise writes per device. */
  write(bytes: Uint8Array): Promise<void>;
  /** Idempotent; resolves when the port is closed (or was already gone). */
  close(): Promise<void>;
}

export interface SerialTransport {
  open(path: string, settings: SerialSettings): Promise<SerialConnection>;
  /**
   * A fingerprint of the device currently at `path`, or null when nothing is there. Drivers poll it because
   * close events are not to be trusted (serialport #2351): a changed fingerprint means the port was replaced
   * (replugged under the same name) even if no event said so.
   */
  locate(path: string): Promise<string | null>;
}

interface PortListing {
  path: string;
  serialNumber?: string | undefined;
  pnpId?: string | undefined;
}

export interface SerialPortTransportOptions {
  /** enumerates ports for non-filesystem names (Windows COMx); injectable for tests */
  listPorts?: () => Promise<PortListing[]>;
  /** how long one enumeration answers for every device that asks (default 200 ms, below the 250 ms poll) */
  listMaxAgeMs?: number;
}

export function createSerialPortTransport(options: SerialPortTransportOptions = {}): SerialTransport {
  const listPorts = shareRecentResult(options.listPorts ?? (() => SerialPort.list()), options.listMaxAgeMs ?? 200);
  return {
    open: openSerialPort,
    async locate(path) {
      return path.startsWith('/') ? locateDeviceNode(path) : locateListedPort(path, listPorts);
    },
  };
}

/**
 * POSIX: the node (or a link to it: by-id links, pty links) exists; rdev+ino tell a different node apart.
 * A replug that reuses the very same node number within one poll is caught by the old port's hang-up (EIO)
 * instead; ctime is left out on purpose, since udev's chown of a fresh node would look like a replacement.
 */
async function locateDeviceNode(path: string): Promise<string | null> {
  try {
    const info = await stat(path); // follows links
    return `${info.rdev}:${info.ino}`;
  } catch (error) {
    if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return null;
    // EACCES and the like: something is there; opening it will report the real problem.
    return 'present';
  }
}

async function locateListedPort(path: string, listPorts: () => Promise<PortListing[]>): Promise<string | null> {
  const ports = await listPorts();
  const port = ports.find((candidate) => candidate.path.toLowerCase() === path.toLowerCase());
  return port ? `${port.path}:${port.serialNumber ?? ''}:${port.pnpId ?? ''}` : null;
}

async function openSerialPort(path: string, settings: SerialSettings): Promise<SerialConnection> {
  const port = new SerialPort({
    path,
    ...settings,
    autoOpen: false,
    // Exclusive lock: a second program (or station instance) reading the same scanner would steal codes.
    lock: true,
    // No modem-control handling: ptys have no DTR/RTS, and dropping DTR on close resets some CDC firmwares.
    // The OS raises DTR on open for the CDC devices that wait for it.
    hupcl: false,
    rtscts: false,
  });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  return new SerialPortConnection(port);
}

class SerialPortConnection implements SerialConnection {
  private readonly data = new Emitter<Uint8Array>();
  private readonly closed = new Emitter<Error | undefined>();
  private readonly errors = new Emitter<Error>();

  readonly onData = this.data.event;
  readonly onClose = this.closed.event;
  readonly onError = this.errors.event;

  constructor(private readonly port: SerialPort) {
    port.on('data', (chunk: Buffer) => this.data.fire(chunk));
    port.on('close', (error?: Error | null) => this.closed.fire(error ?? undefined));
    port.on('error', (error: Error) => this.errors.fire(error));
  }

  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.port.write(bytes, (error) => {
        if (error) return reject(error);
        this.port.drain((drainError) => (drainError ? reject(drainError) : resolve()));
      });
    });
  }

  async close(): Promise<void> {
    if (this.port.isOpen) {
      // A port whose device vanished may fail to close cleanly; it is closed for us either way.
      await new Promise<void>((resolve) => this.port.close(() => resolve()));
    }
    this.port.removeAllListeners();
    // The stream can still report a late error; without a listener that would crash the process.
    this.port.on('error', () => undefined);
    this.data.dispose();
    this.closed.dispose();
    this.errors.dispose();
  }
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
