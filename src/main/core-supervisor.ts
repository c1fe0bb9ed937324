/**
 * Keeps the station core's utility process alive for the shell. It forks the process (through `spawn`, which
 * the shell implements with utilityProcess.fork + MessageChannelMain — utility-core.ts — and the tests with a
 * fake), attaches the RelayClient to its port, and watches it:
 *
 * - the process exits or its port closes → the client answers every call in flight INTERNAL ("the core
 *   stopped, restarting"), every window's session ends (its page goes back to the sign-in screen), and the
 *   process is forked again after a short back-off. Whatever a settlement left in doubt is resolved by the
 *   new core's outbox, as after any crash.
 * - it stops answering pings (a core wedged in a loop) → it is killed, and the exit above restarts it.
 * - more than `maxRestarts` restarts within `windowMs`, or a restart that fails to compose the station → a
 *   fatal state: `onFatal` is called once (the shell shows the error and quits) and no more restarts.
 *
 * No Electron here: the process handle and the port are structural, so this is unit-tested without the binary.
 */
import type { ReadyInfo, RelayLogger } from '../app/relay/core-server';
import type { RelayClient } from '../app/relay/core-client';
import type { RelayPort } from '../app/relay/protocol';

export interface CoreProcessHandle {
  /** The main process's end of the relay (the other end was handed to the process). */
  readonly port: RelayPort;
  readonly pid: number | undefined;
  onExit(listener: (code: number) => void): void;
  kill(): void;
}

export interface CoreSupervisorOptions {
  client: RelayClient;
  spawn(): CoreProcessHandle;
  /** At most this many restarts within `windowMs` (default 3 in 5 minutes); one more is fatal. */
  maxRestarts?: number;
  windowMs?: number;
  /** Wait before each restart, times the restart's number in the window (default 500 ms). */
  backoffMs?: number;
  /** Ping the core this often (default 10 s; 0 turns the heartbeat off) … */
  heartbeatEveryMs?: number;
  /** … and kill it when a ping has no answer after this long (default 30 s). */
  heartbeatTimeoutMs?: number;
  onFatal(message: string): void;
  onRestarted?(info: ReadyInfo, restarts: number): void;
  log?: RelayLogger & { info(message: string): void };
}

export class CoreSupervisor {
  private readonly log: NonNullable<CoreSupervisorOptions['log']>;
  private handle: CoreProcessHandle | null = null;
  private restarts: number[] = [];
  private stopping = false;
  private fatal = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: CoreSupervisorOptions) {
    this.log = options.log ?? { info: (m) => console.log(m), warn: (m) => console.warn(m), error: (m, c) => console.error(m, c) };
  }

  /** Whether the supervisor gave up (see onFatal). */
  get failed(): boolean {
    return this.fatal;
  }

  /** The first start: resolves when the core is composed; rejects (and kills the process) when it cannot be. */
  async start(): Promise<ReadyInfo> {
    try {
      const info = await this.launch();
      this.startHeartbeat();
      return info;
    } catch (cause) {
      this.stopping = true;
      this.options.client.detach('the core did not start');
      this.handle?.kill();
      throw cause;
    }
  }

  /** Quit: the core disposes itself (journal flushed) within `timeoutMs`, else the process is killed. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const handle = this.handle;
    if (!handle) return;
    const closed = await this.options.client.shutdown(timeoutMs);
    if (!closed) this.log.error(`[core] the core did not close in ${timeoutMs} ms; killing it`);
    this.options.client.detach('stopped');
    handle.kill();
  }

  private launch(): Promise<ReadyInfo> {
    const handle = this.options.spawn();
    this.handle = handle;
    handle.onExit((code) => this.exited(handle, code));
    return this.options.client.attach(handle.port);
  }

  private exited(handle: CoreProcessHandle, code: number): void {
    if (this.handle !== handle) return;
    this.handle = null;
    this.options.client.detach(`process exited with code ${code}`);
    if (this.stopping || this.fatal) return;
    this.log.error(`[core] the station core (pid ${handle.pid ?? '?'}) exited with code ${code}`);
    this.scheduleRestart(`exited with code ${code}`);
  }

  private scheduleRestart(why: string): void {
    const windowMs = this.options.windowMs ?? 5 * 60_000;
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < windowMs);
    if (this.restarts.length >= (this.options.maxRestarts ?? 3)) {
      this.giveUp(`工作站核心进程在 ${Math.round(windowMs / 60_000)} 分钟内反复退出（最近一次：${why}），已停止重启。请联系信息科。`);
      return;
    }
    this.restarts.push(now);
    const attempt = this.restarts.length;
    this.restartTimer = setTimeout(
      () => {
        this.restartTimer = null;
        if (this.stopping || this.fatal) return;
        this.log.warn(`[core] restarting the station core (restart ${attempt})`);
        this.launch().then(
          (info) => this.options.onRestarted?.(info, attempt),
          (cause: unknown) => {
            // Composition failed on restart (it worked before): the next attempt would fail the same way.
            const message = cause instanceof Error ? cause.message : String(cause);
            this.giveUp(`工作站核心无法重新启动：${message}`);
          },
        );
      },
      (this.options.backoffMs ?? 500) * attempt,
    );
  }

  private giveUp(message: string): void {
    if (this.fatal) return;
    this.fatal = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.handle?.kill();
    this.log.error(`[core] ${message}`);
    this.options.onFatal(message);
  }

  private startHeartbeat(): void {
    const every = this.options.heartbeatEveryMs ?? 10_000;
    if (every <= 0) return;
    const timeout = this.options.heartbeatTimeoutMs ?? 30_000;
    let inFlight = false;
    this.heartbeat = setInterval(() => {
      const handle = this.handle;
      if (inFlight || !handle || !this.options.client.ready) return;
      inFlight = true;
      void this.options.client.ping(timeout).then((alive) => {
        inFlight = false;
        if (alive || this.handle !== handle || this.stopping) return;
        this.log.error(`[core] the station core (pid ${handle.pid ?? '?'}) did not answer a ping in ${timeout} ms; killing it`);
        handle.kill();
      });
    }, every);
    this.heartbeat.unref?.();
  }
}
