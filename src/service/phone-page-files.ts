/**
 * The patient's page, served under /m/ from the built dist/phone: GET only, nothing outside that folder, and a
 * CSP that lets it reach only its own origin (its API is /m/api on the same service). No caching: a rebuilt page
 * is seen at once.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const PHONE_PAGE_PREFIX = '/m/';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export const PHONE_PAGE_CSP = [
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

/** `rel` is the path after /m/; '' is the page itself. */
export async function servePhonePage(root: string, rel: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = {
    'Content-Security-Policy': PHONE_PAGE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  const file = inside(root, rel === '' ? 'index.html' : rel);
  const type = file === null ? undefined : MIME[path.extname(file)];
  if (file === null || type === undefined) {
    res.writeHead(404, headers).end();
    return;
  }
  try {
    const body = await fs.readFile(file);
    res.writeHead(200, { ...headers, 'Content-Type': type });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    res.writeHead(404, headers).end();
  }
}

function inside(root: string, rel: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = path.resolve(root, decoded);
  return full.startsWith(path.resolve(root) + path.sep) ? full : null;
}
