/**
 * The station core as Electron's utility process runs it (Actual Budget runs its server the same way): off
 * the main process, so synchronous SQLite and SM2 never stall the window. The main process forks
 * dist/main/core.cjs (src/app/utility-process-entry.ts) and posts `start {dataDir, training}` on the
 * process's parentPort with one end of a MessageChannelMain; this composes the station with the same entry
 * the loopback host uses (startStationCore) and serves it on that port (relay/core-server.ts).
 *
 * It exits when the main process asks (`shutdown`, after the core is disposed) or goes away (port closed:
 * the core is disposed first, so no orphan keeps the SQLite file and the serial ports).
 */
import { startStationCore, type CoreEntryOptions } from './core-entry';
import type { ComposedStation } from './compose';
import { errorFields, type Logger } from '../station/log';
import { createCoreServer, type RelayLogger } from './relay/core-server';
import { describeRejection, messageEventPort, StartSchema, type MessageEventPort } from './relay/protocol';

/** Electron's `process.parentPort`, structurally: this file does not import `electron`. */
export interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown; ports: readonly MessageEventPort[] }) => void): unknown;
}

export interface CoreProcessDeps {
  startCore?: (options: CoreEntryOptions) => Promise<ComposedStation>;
  exit?: (code: number) => void;
  log?: RelayLogger & { info(message: string): void };
  /** After the station is composed (the utility-process entry installs the crash handlers on its log). */
  onStarted?: (composed: ComposedStation) => void;
}

type ProcessLog = RelayLogger & { info(message: string): void };

/**
 * Until the station (and its log file in the data dir) exists, lines go to stderr, which Electron passes to the
 * main process's output; from then on to the station's rolling log.
 */
function startupLog(): ProcessLog & { useFile(logger: ComposedStation['logger']): void } {
  let file: Logger | null = null;
  const line = (level: 'info' | 'warn' | 'error') => (message: string, cause?: unknown) => {
    if (file) file[level](message, cause === undefined ? undefined : errorFields(cause));
    else process.stderr.write(`${message}${cause === undefined ? '' : ` ${String(cause)}`}\n`);
  };
  return {
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    useFile: (logger) => (file = logger.child({ capability: 'core-process' })),
  };
}

export function runCoreProcess(parent: ParentPortLike, deps: CoreProcessDeps = {}): void {
  const startCore = deps.startCore ?? startStationCore;
  const exit = deps.exit ?? ((code: number) => process.exit(code));
  const defaultLog = deps.log ? null : startupLog();
  const log: ProcessLog = deps.log ?? defaultLog!;
  let started = false;

  parent.on('message', (e) => {
    if (started) {
      log.warn('[core] ignored a second start message');
      return;
    }
    const start = StartSchema.safeParse(e.data);
    const port = e.ports[0];
    if (!start.success || !port || e.ports.length !== 1) {
      log.error(`[core] malformed start message: ${start.success ? `${e.ports.length} ports` : describeRejection(e.data, start.error)}`);
      exit(2);
      return;
    }
    started = true;
    const server = createCoreServer(messageEventPort(port), { log });
    let station: ComposedStation | null = null;
    let stopping: Promise<void> | null = null;
    const stop = () =>
      (stopping ??= (async () => {
        try {
          await station?.close();
        } catch (cause) {
          log.error('[core] closing the station failed', cause);
        }
      })());
    server.onShutdown(async () => {
      await stop();
      // `closed` is posted as soon as this resolves; then the process leaves on its own.
      setTimeout(() => exit(0), 100);
    });
    server.onDisconnect(() => {
      log.warn('[core] the main process went away; closing the station');
      void stop().finally(() => exit(0));
    });

    startCore({
      dataDir: start.data.dataDir,
      training: start.data.training ? true : 'unless-configured',
      trainingWard: true,
      shell: 'electron',
      receiptPrinter: () => server.printer,
    })
      .then((composed) => {
        station = composed;
        defaultLog?.useFile(composed.logger);
        deps.onStarted?.(composed);
        server.serve(composed.core, {
          rendererDir: composed.rendererDir,
          training: composed.training !== null,
          stationId: composed.config.stationId,
        });
        log.info(
          `[core] station core serving (pid ${process.pid}, ${composed.training ? 'training' : 'live'}, data dir ${start.data.dataDir})`,
        );
      })
      .catch((cause: unknown) => {
        const message = cause instanceof Error ? cause.message : String(cause);
        log.error(`[core] cannot start: ${message}`);
        server.fail(message);
        // Let the message leave before the process does.
        setTimeout(() => exit(1), 100);
      });
  });
}
