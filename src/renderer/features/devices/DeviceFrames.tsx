import { useEffect, useRef } from 'react';
import type { DeviceFrameView } from '../../../shared/domain';
import { formatTime } from '../../common/format';
import { QueryResult } from '../../common/QueryResult';
import { useStationEvent } from '../../common/station-context';
import { useStationQuery } from '../../common/use-station-query';
import { Button, Tag, type TableColumnsType } from 'antd';
import { ScrollTable } from '../../common/ScrollTable';
import { TONE_COLORS, type Tone } from '../../common/tone';

const FRAME_LIMIT = 50;

/**
 * Labels of the kinds the core records (`command`: card reads and face verifications, once the core logs
 * them); a kind added later shows under its own name until it gets a label here.
 */
const FRAME_KINDS: Record<string, { label: string; tone: Tone }> = {
  scan: { label: '数据', tone: 'info' },
  command: { label: '指令', tone: 'info' },
  warning: { label: '警告', tone: 'warn' },
  status: { label: '状态', tone: 'neutral' },
};

const COLUMNS: TableColumnsType<DeviceFrameView> = [
  { title: '时间', key: 'at', render: (_, frame) => formatTime(frame.at), width: 96 },
  {
    title: '类型',
    key: 'kind',
    render: (_, frame) => {
      const kind = FRAME_KINDS[frame.kind] ?? { label: frame.kind, tone: 'neutral' };
      return <Tag color={TONE_COLORS[kind.tone]}>{kind.label}</Tag>;
    },
    width: 72,
  },
  { title: '内容', key: 'summary', render: (_, frame) => frame.summary, ellipsis: true },
];

/**
 * The device's recent traffic as the core recorded it (codes masked there), newest first; reloaded whenever
 * the device reports something. Keyed by device by its parent, since the query belongs to one device.
 */
export function DeviceFrames({ deviceId, refreshKey }: { deviceId: string; refreshKey: number }) {
  const frames = useStationQuery((api) => api.recentDeviceFrames({ deviceId, limit: FRAME_LIMIT }));
  const { reload } = frames;
  const reloadFor = (id: string) => {
    if (id === deviceId) reload();
  };
  useStationEvent('deviceStatus', (status) => reloadFor(status.id));
  useStationEvent('deviceWarning', (warning) => reloadFor(warning.deviceId));
  useStationEvent('scan', (scan) => reloadFor(scan.deviceId));
  // A finished test leaves its traces in the log (read, warning): show them.
  const mountedWith = useRef(refreshKey);
  useEffect(() => {
    if (refreshKey !== mountedWith.current) reload();
  }, [refreshKey, reload]);

  return (
    <section className="device-frames" aria-label={`${deviceId} 最近记录`}>
      <header className="device-frames__header">
        <h3 className="device-frames__title">最近记录</h3>
        <span className="device-frames__note">最多 {FRAME_LIMIT} 条，最新在前</span>
        <Button size="small" type="text" onClick={reload} data-testid="device-frames-refresh">
          刷新
        </Button>
      </header>
      <QueryResult query={frames} errorTestId="device-frames-error">
        {(rows) => (
          <ScrollTable
            data-testid="device-frames"
            columns={COLUMNS}
            rows={rows}
            rowKey={(frame) => `${frame.at}|${frame.kind}|${frame.summary}`}
            empty="暂无记录"
          />
        )}
      </QueryResult>
    </section>
  );
}
