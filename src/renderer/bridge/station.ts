/**
 * Where the renderer's StationApi comes from: the Electron preload when the page runs in the shell, otherwise
 * the loopback WebSocket host that served the page.
 */
import type { StationApi } from '../../shared/api';
import { alwaysOpenLink, type BridgeLink } from './link';
import { TOKEN_PARAM, stationSocketUrl } from '../../shared/wire';
import { createWsStationClient } from './ws-client';

declare global {
  interface Window {
    /** Exposed by the Electron preload through contextBridge; absent in a plain browser. */
    readonly station?: StationApi;
  }
}

export interface StationBridge {
  readonly api: StationApi;
  readonly link: BridgeLink;
}

/** `null` when the page has no way to reach the core: a browser page opened without its launch token. */
export function openStationBridge(): StationBridge | null {
  if (window.station) return { api: window.station, link: alwaysOpenLink() };
  const token = takeLaunchToken();
  return token ? createWsStationClient(stationSocketUrl(location.host, token)) : null;
}

/**
 * Reads `#token=…` and wipes it from the address bar and history, so it is not bookmarked, copied or shown.
 * The token then lives only in this page's memory: a reload needs a fresh launch from the station.
 */
function takeLaunchToken(): string | null {
  const token = new URLSearchParams(location.hash.slice(1)).get(TOKEN_PARAM);
  if (location.hash) history.replaceState(history.state, '', location.pathname + location.search);
  return token || null;
}
