/**
 * Stands in for `@rc-component/util/es/Dom/dynamicCSS` in the build (scripts/antd-static-style.ts swaps it in).
 * antd's helpers write small <style> elements at runtime — the table measuring the scrollbar, a dialog locking
 * the page's scroll, the theme's CSS variables — which the strict CSP (style-src 'self') blocks. Here each one
 * becomes a constructed stylesheet in `document.adoptedStyleSheets`: CSSOM, which the CSP allows, so nothing
 * inline enters the page. The component styles themselves come from the built CSS.
 */

interface DynamicCssOptions {
  attachTo?: Element | ShadowRoot;
}

/** The element callers get back (they may set attributes on it); never attached to the document. */
const entries = new Map<string, { element: HTMLStyleElement; sheet: CSSStyleSheet }>();

function adopt(css: string): { element: HTMLStyleElement; sheet: CSSStyleSheet } {
  const element = document.createElement('style');
  element.textContent = css;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return { element, sheet };
}

export function injectCSS(css: string, _option: DynamicCssOptions = {}): HTMLStyleElement {
  return adopt(css).element;
}

export function updateCSS(css: string, key: string, _option: DynamicCssOptions = {}): HTMLStyleElement {
  const existing = entries.get(key);
  if (existing) {
    if (existing.element.textContent !== css) {
      existing.element.textContent = css;
      existing.sheet.replaceSync(css);
    }
    return existing.element;
  }
  const entry = adopt(css);
  entries.set(key, entry);
  return entry.element;
}

export function removeCSS(key: string, _option: DynamicCssOptions = {}): void {
  const entry = entries.get(key);
  if (!entry) return;
  entries.delete(key);
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== entry.sheet);
}

export function clearContainerCache(): void {}
