import { useState } from 'react';
import { DEVICE_ROLE_LABELS, DEVICE_STATE_LABELS, type DeviceStatusView } from '../../../shared/domain';
import { formatDateTime } from '../../common/format';
import { Button, Tag, type TableColumnsType } from 'antd';
import { ScrollTable } from '../../common/ScrollTable';
import { TONE_COLORS } from '../../common/tone';
import { DEVICE_STATE_TONES } from './device-tone';
import { DeviceFrames } from './DeviceFrames';
import { finishedRuns } from './device-test-state';
import { DeviceTestResult } from './DeviceTestResult';
import { useDevices } from './DeviceStatusProvider';
import { useDeviceTests } from './use-device-tests';

/**
 * Every configured peripheral, live, for IT staff: status, a 测试 per device (a test read that may wait up
 * to 15 s for a code or card), and the selected device's test outcome and recent traffic.
 */
export function DeviceList() {
  const devices = useDevices();
  const tests = useDeviceTests();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = devices?.find((device) => device.id === selectedId) ?? null;

  const test = (deviceId: string) => {
    setSelectedId(deviceId);
    tests.start(deviceId);
  };

  const columns: TableColumnsType<DeviceStatusView> = [
    { title: '设备', key: 'role', render: (_, d) => DEVICE_ROLE_LABELS[d.role], width: 80 },
    { title: '编号', key: 'id', render: (_, d) => <code>{d.id}</code>, width: 110 },
    { title: '型号', key: 'model', render: (_, d) => d.model, ellipsis: true },
    { title: '接口', key: 'path', render: (_, d) => <code className="device-list__path">{d.path}</code>, ellipsis: true },
    {
      title: '状态',
      key: 'state',
      render: (_, d) => <Tag color={TONE_COLORS[DEVICE_STATE_TONES[d.state]]}>{DEVICE_STATE_LABELS[d.state]}</Tag>,
      width: 80,
    },
    { title: '说明', key: 'detail', render: (_, d) => d.detail || '—', ellipsis: true },
    { title: '状态更新', key: 'since', render: (_, d) => formatDateTime(d.since), align: 'right', width: 160 },
    {
      title: '操作',
      key: 'actions',
      render: (_, d) => {
        const running = tests.testOf(d.id).phase === 'running';
        return (
          <span className="device-list__actions">
            <Button
              size="small"
              onClick={() => test(d.id)}
              disabled={running}
              aria-label={`测试 ${d.id}`}
              data-testid={`device-test-${d.id}`}
            >
              {running ? '测试中…' : '测试'}
            </Button>
            <Button
              size="small"
              type={d.id === selectedId ? 'primary' : 'text'}
              onClick={() => setSelectedId(d.id)}
              aria-pressed={d.id === selectedId}
              aria-label={`查看 ${d.id} 的记录`}
              data-testid={`device-select-${d.id}`}
            >
              记录
            </Button>
          </span>
        );
      },
      width: 140,
    },
  ];

  return (
    <div className="device-panel">
      <div className="device-panel__list">
        <ScrollTable
          data-testid="device-list"
          columns={columns}
          rows={devices ?? []}
          rowKey={(d) => d.id}
          empty={devices === null ? '正在读取设备状态…' : '本工作站未配置外设'}
        />
      </div>
      {selected ? (
        <section className="device-detail" aria-label={`${selected.id} 详情`} data-testid="device-detail">
          <header className="device-detail__header">
            <h2 className="device-detail__title">
              {DEVICE_ROLE_LABELS[selected.role]} <code>{selected.id}</code>
            </h2>
            <Tag color={TONE_COLORS[DEVICE_STATE_TONES[selected.state]]}>{DEVICE_STATE_LABELS[selected.state]}</Tag>
            <span className="device-detail__model">{selected.model}</span>
          </header>
          <DeviceTestResult role={selected.role} test={tests.testOf(selected.id)} />
          <DeviceFrames key={selected.id} deviceId={selected.id} refreshKey={finishedRuns(tests.testOf(selected.id))} />
        </section>
      ) : (
        devices !== null &&
        devices.length > 0 && <p className="device-panel__hint">点击“测试”检查设备，或点击“记录”查看设备最近的数据与状态变化。</p>
      )}
    </div>
  );
}
