/**
 * What the serial devices that answer commands share (card readers, face terminals): one command at a time
 * (CommandQueue), each written once its turn comes and answered by the one answer it accepts (PendingAnswer);
 * an answer nobody waits for is reported and dropped, so a late answer never passes for a new command's.
 *
 * After every (re)connect the device is asked who it is (`identify`), which also tells a wrong model or baud
 * rate apart from a working device; no answer in time marks it unanswering until its next answer.
 */
import { CommandQueue } from '../command-queue';
import { DeviceError, isDeviceError } from '../errors';
import type { SerialConnection } from '../transports/serial-transport';
import { LinkedDriver } from './linked-driver';
import { PendingAnswer } from './pending-answer';
import type { ReconnectingLink } from './reconnecting-link';
import { createSerialLink, serialIdentity, type SerialDeviceModel, type SerialDeviceOptions } from './serial-link';

export interface CommandDriverTexts {
  /** the status when a command got no answer in time */
  noAnswer: string;
  /** why a command failed when the connection went away */
  disconnected: string;
  unsolicited: string;
}

/** One command as written once its turn comes. */
export interface Command<A> {
  bytes: Uint8Array;
  /** whether an answer is this command's */
  accepts: (answer: A) => boolean;
  /**
   * Written when the caller gives up (abort, timeout) to stop the device working for nobody; a device told so
   * is not marked unanswering.
   */
  cancel?: Uint8Array;
}

export abstract class SerialCommandDriver<A> extends LinkedDriver<SerialConnection> {
  protected readonly link: ReconnectingLink<SerialConnection>;
  private readonly queue: CommandQueue;
  private readonly pending = new PendingAnswer<A>();
  private readonly texts: CommandDriverTexts;

  constructor(device: SerialDeviceOptions<SerialDeviceModel>, maxWaitingCommands: number, texts: CommandDriverTexts) {
    super(serialIdentity(device), device);
    this.queue = new CommandQueue({ maxWaiting: maxWaitingCommands });
    this.texts = texts;
    this.link = createSerialLink(device, {
      status: this.status,
      onConnected: (connection, listeners) => {
        listeners.add(connection.onData((chunk) => this.receive(chunk)));
        // After the link has recorded the connection: the question writes through it.
        queueMicrotask(() => void this.identify().catch(() => undefined));
      },
      onDropped: () => {
        this.dropped();
        this.pending.fail(new DeviceError('offline', texts.disconnected));
      },
    });
  }

  /** Asks the device who it is, right after every (re)connect. */
  protected abstract identify(): Promise<unknown>;

  /** The status detail of a device that answers; undefined while not known. */
  protected abstract readyDetail(): string | undefined;

  protected override stopCommands(): void {
    this.queue.dispose();
  }

  /** Runs a command once its turn comes (`prepare` is called then) and resolves with its answer. */
  protected request(prepare: () => Command<A>, timeoutMs: number): Promise<A> {
    if (this.disposed) return Promise.reject(new DeviceError('disposed'));
    return this.queue.run(
      async (signal) => {
        const connection = this.link.connection;
        if (!connection) throw new DeviceError('offline', this.status.view.detail);
        const command = prepare();
        const answer = this.pending.wait(command.accepts, signal);
        // Handled below once the write is done; it may reject (abort, dispose) while the write is still pending.
        answer.catch(() => undefined);
        try {
          await connection.write(command.bytes);
        } catch (error) {
          this.pending.fail(error);
          this.link.lost();
        }
        try {
          return await answer;
        } catch (error) {
          if (command.cancel && signal.aborted) void connection.write(command.cancel).catch(() => undefined);
          if (isDeviceError(error, 'timeout') && !command.cancel) this.setState('error', this.texts.noAnswer);
          throw isDeviceError(error) ? error : new DeviceError('offline', this.texts.disconnected, { cause: error });
        }
      },
      { timeoutMs },
    );
  }

  /** Hands an answer to the command waiting for it; an answer after "no answer" means the device is back. */
  protected answerArrived(answer: A): void {
    if (!this.pending.offer(answer)) return this.warn(this.texts.unsolicited);
    const ready = this.readyDetail();
    if (this.status.state === 'error' && ready !== undefined) this.setState('connected', ready);
  }
}
