/**
 * Ant Design's styles, extracted at build time into a CSS file of the bundle. antd writes its styles into
 * <style> elements at runtime, which the strict CSP (style-src 'self', no 'unsafe-inline') forbids; so the build
 * renders every antd component once on the server with the app's theme and ships the CSS, and the page runs
 * with `zeroRuntime` (src/renderer/main.tsx).
 */
import { createElement, type ComponentType, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { createCache, extractStyle, StyleProvider } from '@ant-design/cssinjs';
import * as antd from 'antd';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { STATION_THEME } from '../src/renderer/app/antd-theme';

type AnyComponent = ComponentType<Record<string, unknown>>;

/** Components whose style hook runs only in a panel form (popups render nothing on the server). */
function renderables(): ReactNode[] {
  const nodes: ReactNode[] = [];
  for (const [name, value] of Object.entries(antd)) {
    if (!/^[A-Z]/.test(name) || name === 'ConfigProvider' || (typeof value !== 'function' && typeof value !== 'object') || !value) continue;
    const panel = (value as { _InternalPanelDoNotUseOrYouWillBeFired?: AnyComponent })._InternalPanelDoNotUseOrYouWillBeFired;
    nodes.push(createElement(value as AnyComponent, { key: name }));
    if (panel) nodes.push(createElement(panel, { key: `${name}-panel` }));
  }
  const ModalPanel = (antd.Modal as unknown as { _InternalPanelDoNotUseOrYouWillBeFired: AnyComponent })
    ._InternalPanelDoNotUseOrYouWillBeFired;
  nodes.push(createElement(ModalPanel, { key: 'confirm', type: 'confirm' }));
  // Sub-styles registered only when a prop asks for them: tag colours and states, the compact button group.
  nodes.push(createElement(antd.Tag, { key: 'tag-preset', color: 'blue' }));
  nodes.push(createElement(antd.Tag, { key: 'tag-status', color: 'success' }));
  nodes.push(createElement(antd.Space.Compact, { key: 'compact' }, createElement(antd.Button, null)));
  nodes.push(createElement(antd.Pagination, { key: 'pagination-bordered', total: 50, showQuickJumper: true }));
  return nodes;
}

export function extractAntdCss(): string {
  const cache = createCache();
  for (const node of renderables()) {
    try {
      renderToString(
        createElement(
          StyleProvider,
          { cache },
          createElement(antd.ConfigProvider, { theme: { ...STATION_THEME, zeroRuntime: false }, componentSize: 'small' }, node),
        ),
      );
    } catch {
      // A component that cannot render without props still registered its style before failing, or has none.
    }
  }
  return extractStyle(cache, { plain: true, types: ['style', 'token', 'cssVar'] });
}

const PLACEHOLDER = /[\\/]src[\\/]renderer[\\/]styles[\\/]antd\.css$/;

/** src/renderer/styles/antd.css, empty in the source, becomes the extracted styles in the build. */
export function antdStaticStyle(): Plugin {
  return {
    name: 'station-antd-static-style',
    load: (id) => (PLACEHOLDER.test(id) ? extractAntdCss() : null),
  };
}

const DYNAMIC_CSS = /[\\/]@rc-component[\\/]util[\\/](es|lib)[\\/]Dom[\\/]dynamicCSS(\.js)?$/;
const CSP_SAFE_DYNAMIC_CSS = fileURLToPath(new URL('../src/renderer/app/csp-safe-dynamic-css.ts', import.meta.url));

/**
 * antd's small runtime <style> writers (rc-util's dynamicCSS: scrollbar measurement, scroll lock, theme variables)
 * become constructed stylesheets (src/renderer/app/csp-safe-dynamic-css.ts), however the module is imported.
 */
export function cspSafeDynamicCss(): Plugin {
  return {
    name: 'station-csp-safe-dynamic-css',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!source.includes('dynamicCSS')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && DYNAMIC_CSS.test(resolved.id) ? CSP_SAFE_DYNAMIC_CSS : null;
    },
  };
}
