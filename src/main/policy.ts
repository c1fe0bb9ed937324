/**
 * The shell's security decisions as pure functions: which URL is ours, which IPC sender is trusted, which
 * file an app:// URL may name, which request a renderer may make. No `electron` import, so every rule is
 * unit-tested without the binary; security.ts and ipc-bridge.ts only wire these into Electron's hooks.
 */
import path from 'node:path';
import type { WebPreferences } from 'electron';

export const APP_SCHEME = 'app';
/** One fixed host, so the origin is `app://station` and nothing else can be same-origin with it. */
export const APP_HOST = 'station';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Sent on every app:// response. The bundle has no inline script or style, so 'self' is enough. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for URLs of our own origin. Credentials or a port in the URL are refused: ours never has them. */
export function isAppUrl(url: string): boolean {
  const u = parseUrl(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

/**
 * An IPC message is trusted only from the main frame of a page of our origin: a subframe (even a same-origin
 * one) or a frame that has navigated elsewhere is refused. `frameUrl` is undefined when the frame is gone.
 */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  return isMainFrame && frameUrl !== undefined && isAppUrl(frameUrl);
}

/**
 * Which requests a renderer may make. Only our origin; `data:` only because the CSP allows data: images
 * (the CSP, not this filter, keeps it to images); `devtools:` only when DevTools are enabled (development).
 */
export function isAllowedRequest(url: string, opts: { devTools: boolean }): boolean {
  if (isAppUrl(url)) return true;
  const u = parseUrl(url);
  if (u === null) return false;
  if (u.protocol === 'data:') return true;
  return opts.devTools && u.protocol === 'devtools:';
}

type PathApi = Pick<typeof path, 'resolve' | 'relative' | 'isAbsolute' | 'sep'>;

/** True when `target` is `root` itself or inside it, by resolved path (no prefix tricks: /app vs /app2). */
export function isInside(root: string, target: string, p: PathApi = path): boolean {
  const rel = p.relative(p.resolve(root), p.resolve(target));
  return rel === '' || (!rel.startsWith(`..${p.sep}`) && rel !== '..' && !p.isAbsolute(rel));
}

/**
 * The file an app:// URL path names inside `root`, or null when it would leave it. Takes the URL's
 * still-encoded pathname: decoding happens here once, so `%2e%2e%2f` and `..%5c` are judged after decoding.
 * `p` is injectable so the Windows rules (backslashes, drive letters) are tested on any machine.
 */
export function resolveInsideRoot(root: string, urlPathname: string, p: PathApi = path): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch {
    return null; // malformed percent-encoding
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded.replace(/^[/\\]+/, '');
  const target = p.resolve(root, relative === '' ? 'index.html' : relative);
  if (target === p.resolve(root)) return null; // the directory itself is not a file to serve
  return isInside(root, target, p) ? target : null;
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/** Served with `X-Content-Type-Options: nosniff`, so an unknown type is never guessed into a script. */
export function mimeTypeFor(filePath: string): string {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Every web preference that matters, spelled out even where it is Electron's default, so the whole posture
 * is reviewed here and a changed default upstream cannot weaken it.
 */
export function stationWebPreferences(opts: { preloadPath: string; devTools: boolean }): WebPreferences {
  return {
    preload: opts.preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false, // a file dropped on the window must not replace the app
    spellcheck: false, // also keeps Chromium from downloading dictionaries
    devTools: opts.devTools,
  };
}
