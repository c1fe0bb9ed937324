import { useState } from 'react';
import type { StorageAlarmView } from '../../shared/domain';
import { useStationEvent } from '../common/station-context';
import { useStationQuery } from '../common/use-station-query';

/**
 * On every screen while the station cannot write its own database (disk full, disk error): new settlements are
 * refused rather than sent unrecorded, and the station keeps retrying by itself. Gone when writes work again.
 */
export function StorageAlarm() {
  const initial = useStationQuery((api) => api.storageStatus({}));
  const [live, setLive] = useState<StorageAlarmView | null>(null);
  useStationEvent('storageAlarm', setLive);
  const alarm = live ?? (initial.status === 'ready' ? initial.value : null);
  if (!alarm?.failing) return null;
  const full = alarm.code === 'SQLITE_FULL';
  return (
    <div className="outbox-alarm outbox-alarm--escalated" data-testid="storage-alarm" data-code={alarm.code ?? ''} role="alert">
      <strong>{full ? '本机磁盘已满' : '本机数据库写入失败'}，暂停新的结算</strong>
      <span>
        工作站正在自动重试；请联系信息科{full ? '清理磁盘空间' : '检查磁盘'}（{alarm.code}）
      </span>
    </div>
  );
}
