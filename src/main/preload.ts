/**
 * The only thing a window's page sees of the shell: `window.station`, one function per operation and one
 * `onX(cb)` per event. It never hands out `ipcRenderer`, an IpcRendererEvent (its `sender` *is*
 * ipcRenderer) or any generic send/invoke, so a compromised page can reach only the listed channels, and
 * main re-checks every call anyway. Bundled to one CJS file: a sandboxed preload can require only
 * `electron` and a few built-ins.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { StationApi, StationCalls, StationEventMap, StationEventName, StationSubscriptions } from '../shared/api';
import { err, type Result } from '../shared/result';
import { PRINTER_CHANNELS } from '../shared/printing-channels';
import type { StationPrinterApi } from '../shared/printing';
import { CHANNEL_EVENTS, CHANNEL_OPERATIONS, eventChannel, operationChannel, subscriptionKey } from './channels';

// Built from the name lists rather than written out, so a new operation is exposed without touching this
// file; the lists themselves are checked against the contract (channels.ts). The casts are the price of
// building a mapped type in a loop: every entry has the same runtime shape.
function buildCalls(): StationCalls {
  const entries = CHANNEL_OPERATIONS.map((op) => {
    const channel = operationChannel(op);
    // Exactly one argument crosses, whatever the page passes. A rejected invoke (no handler yet, or the
    // bridge disposed during quit) still answers with a Result: the contract never throws across IPC.
    const call = (input: unknown): Promise<Result<unknown>> =>
      (ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>).catch(() => err('INTERNAL', '工作站主进程未响应'));
    return [op, call] as const;
  });
  return Object.fromEntries(entries) as unknown as StationCalls;
}

function subscribeTo<E extends StationEventName>(event: E) {
  const channel = eventChannel(event);
  return (listener: (payload: StationEventMap[E]) => void) => {
    if (typeof listener !== 'function') throw new TypeError(`${subscriptionKey(event)} expects a function`);
    // One wrapper per subscription, so the unsubscribe removes exactly this listener and no other.
    const wrapper = (_event: IpcRendererEvent, payload: StationEventMap[E]) => listener(payload);
    ipcRenderer.on(channel, wrapper);
    return () => {
      ipcRenderer.removeListener(channel, wrapper);
    };
  };
}

function buildSubscriptions(): StationSubscriptions {
  return Object.fromEntries(CHANNEL_EVENTS.map((event) => [subscriptionKey(event), subscribeTo(event)])) as unknown as StationSubscriptions;
}

const api = { ...buildCalls(), ...buildSubscriptions() } satisfies StationApi;

contextBridge.exposeInMainWorld('station', api);

// The shell's receipt printer (print-ipc.ts). Answers are unknown here: the page validates them (printer-bridge.ts).
const printer: StationPrinterApi = {
  printers: () => ipcRenderer.invoke(PRINTER_CHANNELS.list, undefined),
  status: () => ipcRenderer.invoke(PRINTER_CHANNELS.status, undefined),
  printReceipt: (input) => ipcRenderer.invoke(PRINTER_CHANNELS.printReceipt, input),
  printTestPage: () => ipcRenderer.invoke(PRINTER_CHANNELS.testPage, undefined),
  printSlip: (input) => ipcRenderer.invoke(PRINTER_CHANNELS.printSlip, input),
};
contextBridge.exposeInMainWorld('stationPrinter', printer);
