import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { antdStaticStyle, cspSafeDynamicCss } from './scripts/antd-static-style';

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The renderer is served from `app://` in Electron and from the loopback host otherwise, so every URL in the
// build is relative (`base: './'`) and nothing is fetched from anywhere else: the CSP in index.html allows
// only 'self'. The dev server is not part of the workflow — the page must come from the host that issues its
// token, and Vite's inline dev preamble would break that CSP anyway.
export default defineConfig({
  root: fromRoot('src/renderer'),
  base: './',
  plugins: [react(), antdStaticStyle(), cspSafeDynamicCss()],
  build: {
    outDir: fromRoot('dist/renderer'),
    emptyOutDir: true,
    // Electron's Chromium and the system Chromium both load modules natively; no polyfill is needed.
    modulePreload: { polyfill: false },
  },
});
