/**
 * Forks the station core into an Electron utility process (utilityProcess.fork of dist/main/core.cjs, built
 * from src/app/utility-process-entry.ts) and hands it one end of a MessageChannelMain with `start`; the other
 * end becomes the RelayClient's port. The supervisor (core-supervisor.ts) decides when to call this again.
 * Only type-checked here: it needs the Electron binary.
 */
import { MessageChannelMain, utilityProcess } from 'electron';
import { messageEventPort, type StartMessage } from '../app/relay/protocol';
import type { CoreProcessHandle } from './core-supervisor';

export function forkCoreProcess(opts: { entry: string; dataDir: string; training: boolean }): CoreProcessHandle {
  const child = utilityProcess.fork(opts.entry, [], {
    serviceName: 'yibao-station-core',
    // Its log lines go where the shell's go. No cwd: the entry may sit inside app.asar, which is no directory.
    stdio: 'inherit',
  });
  const { port1, port2 } = new MessageChannelMain();
  const start: StartMessage = { t: 'start', dataDir: opts.dataDir, training: opts.training };
  child.postMessage(start, [port2]);
  return {
    port: messageEventPort(port1),
    get pid() {
      return child.pid;
    },
    onExit: (listener) => void child.once('exit', listener),
    kill: () => void child.kill(),
  };
}
