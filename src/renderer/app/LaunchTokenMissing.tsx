import { Alert } from 'antd';

/** A browser page opened (or reloaded) without the launch token cannot reach the core. */
export function LaunchTokenMissing() {
  return (
    <div className="app">
      <main className="startup" data-testid="launch-token-missing">
        <div className="startup__failure">
          <Alert
            type="error"
            showIcon
            role="alert"
            title="无法连接工作站核心"
            description="本页面缺少访问令牌（刷新页面后令牌不会保留）。请从工作站程序重新打开收费界面。"
          />
        </div>
      </main>
    </div>
  );
}
