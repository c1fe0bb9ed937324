import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The patient's page (issue 16 item 3): its own small build, served by the settlement service under /m/ — apart
// from the station's renderer so the service hands out only the page's own files, and no antd (plain CSS).
export default defineConfig({
  root: fromRoot('src/renderer/phone'),
  base: './',
  plugins: [react()],
  build: {
    outDir: fromRoot('dist/phone'),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
  },
});
