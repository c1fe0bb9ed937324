import type { ReactNode } from 'react';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { STATION_THEME } from './antd-theme';

/**
 * Ant Design for the whole app: zh_CN, the compact station theme, small controls. `zeroRuntime`: the component
 * styles come from the CSS the build extracted (scripts/antd-static-style.ts), none are written at runtime.
 */
export function AntdRoot({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider locale={zhCN} theme={{ ...STATION_THEME, zeroRuntime: true }} componentSize="small">
      {children}
    </ConfigProvider>
  );
}
