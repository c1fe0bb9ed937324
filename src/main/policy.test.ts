import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  isAllowedRequest,
  isAppUrl,
  isInside,
  isTrustedSender,
  mimeTypeFor,
  resolveInsideRoot,
  stationWebPreferences,
} from './policy';

describe('isTrustedSender', () => {
  it('trusts only the main frame of an app://station page', () => {
    expect(isTrustedSender(APP_ENTRY_URL, true)).toBe(true);
    expect(isTrustedSender('app://station/index.html#/cashier?x=1', true)).toBe(true);
  });

  it('refuses subframes, even of our own origin', () => {
    expect(isTrustedSender(APP_ENTRY_URL, false)).toBe(false);
  });

  it('refuses other origins, look-alikes and gone frames', () => {
    for (const url of [
      'https://station/index.html',
      'http://localhost:5173/index.html',
      'file:///opt/yibao/index.html',
      'app://evil/index.html',
      'app://station.evil/index.html',
      'app://user:pw@station/index.html',
      'app://station:8080/index.html',
      'devtools://devtools/bundled/inspector.html',
      'about:blank',
      'data:text/html,<script>station.login()</script>',
      '',
      'not a url',
    ]) {
      expect(isTrustedSender(url, true), url).toBe(false);
    }
    expect(isTrustedSender(undefined, true)).toBe(false);
  });
});

describe('isAppUrl', () => {
  it('is the navigation rule: our origin only', () => {
    expect(isAppUrl('app://station/other.html')).toBe(true);
    // Chromium hands us canonical (lower-case) URLs for a standard scheme; anything else is refused.
    expect(isAppUrl('app://STATION/index.html')).toBe(false);
    expect(isAppUrl('https://example.com/')).toBe(false);
    expect(isAppUrl('javascript:alert(1)')).toBe(false);
  });
});

describe('isAllowedRequest', () => {
  it('allows our origin and data: (images, per the CSP)', () => {
    expect(isAllowedRequest('app://station/assets/index-abc.js', { devTools: false })).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,iVBORw0KGgo=', { devTools: false })).toBe(true);
  });

  it('blocks every remote or local-file request', () => {
    for (const url of [
      'https://fonts.googleapis.com/css',
      'http://127.0.0.1:8080/api',
      'ws://127.0.0.1:9000/',
      'file:///etc/passwd',
      'app://other/x.js',
      'blob:app://station/0f6c',
      'chrome://gpu',
    ]) {
      expect(isAllowedRequest(url, { devTools: true }), url).toBe(false);
    }
  });

  it('allows devtools: only when DevTools are enabled', () => {
    const url = 'devtools://devtools/bundled/devtools_app.html';
    expect(isAllowedRequest(url, { devTools: false })).toBe(false);
    expect(isAllowedRequest(url, { devTools: true })).toBe(true);
  });
});

describe('resolveInsideRoot', () => {
  const root = '/opt/yibao/renderer';

  it('maps paths inside the root, / to index.html', () => {
    expect(resolveInsideRoot(root, '/')).toBe('/opt/yibao/renderer/index.html');
    expect(resolveInsideRoot(root, '/index.html')).toBe('/opt/yibao/renderer/index.html');
    expect(resolveInsideRoot(root, '/assets/app-1a2b.js')).toBe('/opt/yibao/renderer/assets/app-1a2b.js');
    expect(resolveInsideRoot(root, '/assets/../index.html')).toBe('/opt/yibao/renderer/index.html');
    expect(resolveInsideRoot(root, '/fonts/%E5%AE%8B%E4%BD%93.woff2')).toBe('/opt/yibao/renderer/fonts/宋体.woff2');
    expect(resolveInsideRoot(root, '/..foo/x.js')).toBe('/opt/yibao/renderer/..foo/x.js'); // a name, not a parent
    // leading slashes never make the path absolute: it stays under the root
    expect(resolveInsideRoot(root, '//etc/passwd')).toBe('/opt/yibao/renderer/etc/passwd');
  });

  it('refuses every way out of the root', () => {
    for (const p of [
      '/../secret.txt',
      '/../../../../etc/passwd',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/%2e%2e/%2e%2e/x',
      '/../renderer2/x.js', // a sibling that shares the prefix
      '/index.html%00.png',
      '/%E0%A4%A', // malformed encoding
      '/assets/..', // the root directory itself
    ]) {
      expect(resolveInsideRoot(root, p), p).toBeNull();
    }
  });

  it('applies the Windows rules on Windows paths', () => {
    const winRoot = 'C:\\Program Files\\yibao\\resources\\renderer';
    const p = path.win32;
    expect(resolveInsideRoot(winRoot, '/assets/a.js', p)).toBe('C:\\Program Files\\yibao\\resources\\renderer\\assets\\a.js');
    // a UNC-looking path loses its leading separators and stays under the root
    expect(resolveInsideRoot(winRoot, '/%5C%5Cserver%5Cshare%5Cx', p)).toBe(`${winRoot}\\server\\share\\x`);
    for (const evil of ['/..%5C..%5Cwindows%5Cwin.ini', '/..\\..\\x', '/C:/Windows/win.ini', '/D:%5Cx', '/c:%2e%2e']) {
      expect(resolveInsideRoot(winRoot, evil, p), evil).toBeNull();
    }
  });
});

describe('isInside', () => {
  it('compares resolved paths, not string prefixes', () => {
    expect(isInside('/a/b', '/a/b/c')).toBe(true);
    expect(isInside('/a/b', '/a/b')).toBe(true);
    expect(isInside('/a/b', '/a/bc')).toBe(false);
    expect(isInside('/a/b', '/a')).toBe(false);
    expect(isInside('C:\\a', 'D:\\a\\b', path.win32)).toBe(false);
  });
});

describe('mimeTypeFor', () => {
  it('names the types of a Vite build, and never guesses', () => {
    expect(mimeTypeFor('/r/index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('/r/assets/index-x.js')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('/r/assets/index-x.CSS')).toBe('text/css; charset=utf-8');
    expect(mimeTypeFor('/r/f.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('/r/logo.svg')).toBe('image/svg+xml');
    expect(mimeTypeFor('/r/unknown.bin')).toBe('application/octet-stream');
    expect(mimeTypeFor('/r/Makefile')).toBe('application/octet-stream');
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  it('is the strict policy: self only, nothing inline, no framing, no forms', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*/);
  });
});

describe('stationWebPreferences', () => {
  it('isolates and sandboxes the page, with no Node anywhere and no webview', () => {
    expect(stationWebPreferences({ preloadPath: '/app/dist/main/preload.cjs', devTools: false })).toEqual({
      preload: '/app/dist/main/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: false,
    });
    expect(stationWebPreferences({ preloadPath: 'p', devTools: true }).devTools).toBe(true);
  });
});
