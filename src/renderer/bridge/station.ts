/**
 * Where the renderer's StationApi comes from: the Electron preload when the page runs in the shell, otherwise
 * the loopback WebSocket host that served the page.
 */
import type { StationApi } from '../../shared/api';
import { alwaysOpenLink, type BridgeLink } from './link';
import { LAUNCH_CODE_PARAM, SESSION_PATH, SessionAnswerSchema, stationSocketUrl } from '../../shared/wire';
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

/** `null` when the page has no way to reach the core: a browser page opened without a valid launch code. */
export async function openStationBridge(): Promise<StationBridge | null> {
  if (window.station) return { api: window.station, link: alwaysOpenLink() };
  const code = takeLaunchCode();
  const token = code ? await tradeLaunchCode(code) : null;
  return token ? createWsStationClient(stationSocketUrl(location.host, token)) : null;
}

/**
 * Reads `#code=…` and wipes it from the address bar and history, so it is not bookmarked, copied or shown.
 * The code is good once; the token it buys lives only in this page's memory: a reload needs a fresh launch.
 */
function takeLaunchCode(): string | null {
  const code = new URLSearchParams(location.hash.slice(1)).get(LAUNCH_CODE_PARAM);
  if (location.hash) history.replaceState(history.state, '', location.pathname + location.search);
  return code || null;
}

async function tradeLaunchCode(code: string): Promise<string | null> {
  try {
    const res = await fetch(SESSION_PATH, { method: 'POST', body: code, cache: 'no-store' });
    if (!res.ok) return null;
    const parsed = SessionAnswerSchema.safeParse(await res.json());
    return parsed.success ? parsed.data.token : null;
  } catch {
    return null;
  }
}
