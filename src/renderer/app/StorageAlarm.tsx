import { useState } from 'react';
import { Alert } from 'antd';
import type { StorageAlarmView } from '../../shared/domain';
import { useStationEvent } from '../common/station-context';
import { useStationQuery } from '../common/use-station-query';

/**
 * On every screen while the station cannot write its own database (disk full, disk error): new settlements are
 * refused rather than sent unrecorded, and the station keeps retrying by itself. Gone when writes work again.
 * One line over the header; the screen under it gives up that height (the page never scrolls).
 */
export function StorageAlarm() {
  const initial = useStationQuery((api) => api.storageStatus({}));
  const [live, setLive] = useState<StorageAlarmView | null>(null);
  useStationEvent('storageAlarm', setLive);
  const alarm = live ?? (initial.status === 'ready' ? initial.value : null);
  if (!alarm?.failing) return null;
  const [what, ask] = describe(alarm.code ?? '');
  return (
    <Alert
      banner
      type="error"
      role="alert"
      className="station-alarm"
      data-testid="storage-alarm"
      data-code={alarm.code ?? ''}
      title={
        <>
          <strong>{what}，暂停新的结算</strong>
          <span className="station-alarm__more">
            工作站正在自动重试；请联系信息科{ask}（{alarm.code}）
          </span>
        </>
      }
    />
  );
}

function describe(code: string): [string, string] {
  if (code === 'SQLITE_FULL') return ['本机磁盘已满', '清理磁盘空间'];
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return ['本机数据库被其他程序占用', '检查是否有备份或维护程序正在使用数据库'];
  return ['本机数据库写入失败', '检查磁盘'];
}
