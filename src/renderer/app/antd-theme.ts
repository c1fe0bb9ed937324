import { theme, type ThemeConfig } from 'antd';

/**
 * One Ant Design theme for the whole app: compact (small controls, ~30 px table rows, so a 1366×696 window
 * holds a whole settlement), CSS variables under one fixed key and no hash classes — the build extracts the
 * styles with exactly this config (scripts/antd-static-style.ts) and the page injects none at runtime, so the
 * strict CSP (style-src 'self') stays.
 */
export const STATION_THEME: ThemeConfig = {
  algorithm: theme.compactAlgorithm,
  hashed: false,
  cssVar: { key: 'css-var-station' },
  token: {
    fontFamily: "'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif",
    fontSize: 14,
    colorPrimary: '#0b5cad',
    colorError: '#b3261e',
    colorTextBase: '#16202c',
    borderRadius: 4,
  },
  components: {
    // 4 + 22 (14 px × 1.57) + 4 ≈ 30 px rows in the small table
    Table: { cellPaddingBlockSM: 4, cellPaddingInlineSM: 8, headerBg: '#f3f5f8' },
    Descriptions: { itemPaddingBottom: 2 },
  },
};
