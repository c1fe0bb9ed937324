/**
 * Hardening in one module, imported first by main.ts (after Actual Budget's desktop-electron/security.ts).
 * Importing it registers the app:// scheme (which must happen before `ready`), forces the sandbox on every
 * renderer, and installs the per-webContents and per-session guards. The decisions themselves are the pure
 * functions of policy.ts; this file only wires them into Electron.
 *
 * What a renderer can do, in total: load app://station files, call the StationApi through the preload.
 * No navigation elsewhere, no new windows, no webviews, no permission, no request to any other origin.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { app, protocol, session, type Session } from 'electron';
import {
  APP_HOST,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  isAllowedRequest,
  isAppUrl,
  isInside,
  mimeTypeFor,
  resolveInsideRoot,
} from './policy';

/** DevTools (and the devtools: requests they make) exist only in an unpackaged development run. */
export const devToolsEnabled = !app.isPackaged;

// `standard` gives app:// a real origin and relative-URL resolution, `secure` makes it a secure context (like
// https), `supportFetchAPI` lets the page fetch() its own assets. Deliberately not `corsEnabled`: despite its
// name it lets *other* origins read the scheme with no Access-Control-Allow-Origin check (electron#51152);
// same-origin module scripts load without it. No service workers, no CSP bypass. Only possible before
// `ready`, hence at import time.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// Sandbox every renderer, including any created without our window options.
app.enableSandbox();

app.on('web-contents-created', (_event, contents) => {
  // We never use <webview>: refuse to attach one whatever its options.
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // Page-initiated navigation (main frame, subframes) and server redirects stay on our origin.
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  // window.open, target=_blank, shift-click: never a new window, never the system browser.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

/**
 * Deny every permission (camera, notifications, clipboard-read, HID/serial/USB from the page, ...): the
 * devices are driven from the main process, never from web APIs. And block every request that is not to
 * our origin: nothing remote can be loaded even if the CSP were wrong. This also covers `net` requests
 * on the session; the core's HTTP clients use Node's stack, not Electron's, so they are not affected.
 */
function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, { devTools: devToolsEnabled });
    if (!allowed) console.warn(`[security] blocked ${details.resourceType} request to ${details.url}`);
    callback({ cancel: !allowed });
  });
}

// Every session, including ones created later (a partition, the DevTools'); re-applying to the default
// session is harmless, the handlers are replaced.
app.on('session-created', hardenSession);
void app.whenReady().then(() => hardenSession(session.defaultSession));

const BASE_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

function notFound(): Response {
  return new Response('Not Found', { status: 404, headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * Serve app://station/* from the built renderer dir. Call after `ready`. Files are read with fs (not
 * net.fetch of a file: URL, which the request filter above would rightly block), only GET/HEAD, and the
 * path is checked twice: lexically (resolveInsideRoot) and again after following symlinks.
 */
export function serveAppProtocol(rendererDir: string, ses: Session = session.defaultSession): void {
  const root = path.resolve(rendererDir);
  const realRoot = fs.realpath(root);
  realRoot.catch(() => {}); // reported per request as 404, and by main.ts before any window opens

  ses.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: { ...BASE_HEADERS, Allow: 'GET, HEAD' } });
    }
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return notFound();
    const file = resolveInsideRoot(root, url.pathname);
    if (file === null) return notFound();
    try {
      const real = await fs.realpath(file);
      if (!isInside(await realRoot, real)) return notFound();
      const body = await fs.readFile(real);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...BASE_HEADERS, 'Content-Type': mimeTypeFor(real) },
      });
    } catch {
      return notFound(); // missing, a directory, or unreadable
    }
  });
}
