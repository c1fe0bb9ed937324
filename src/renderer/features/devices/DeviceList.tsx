import { useState } from 'react';
import { DEVICE_ROLE_LABELS, DEVICE_STATE_LABELS, type DeviceStatusView } from '../../../shared/domain';
import { formatDateTime } from '../../common/format';
import { Button, DataTable, Tag, type Column } from '../../ui';
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

  const columns: readonly Column<DeviceStatusView>[] = [
    { header: '设备', cell: (d) => DEVICE_ROLE_LABELS[d.role], width: '90px' },
    { header: '编号', cell: (d) => <code>{d.id}</code> },
    { header: '型号', cell: (d) => d.model },
    { header: '接口', cell: (d) => <code className="device-list__path">{d.path}</code> },
    { header: '状态', cell: (d) => <Tag tone={DEVICE_STATE_TONES[d.state]}>{DEVICE_STATE_LABELS[d.state]}</Tag>, width: '80px' },
    { header: '说明', cell: (d) => d.detail || '—' },
    { header: '状态更新', cell: (d) => formatDateTime(d.since), align: 'end', width: '170px' },
    {
      header: '操作',
      cell: (d) => {
        const running = tests.testOf(d.id).phase === 'running';
        return (
          <span className="device-list__actions">
            <Button onClick={() => test(d.id)} disabled={running} aria-label={`测试 ${d.id}`} data-testid={`device-test-${d.id}`}>
              {running ? '测试中…' : '测试'}
            </Button>
            <Button
              variant="quiet"
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
      width: '150px',
    },
  ];

  return (
    <div className="device-panel">
      <DataTable
        caption="外设列表"
        data-testid="device-list"
        columns={columns}
        rows={devices ?? []}
        rowKey={(d) => d.id}
        empty={devices === null ? '正在读取设备状态…' : '本工作站未配置外设'}
      />
      {selected ? (
        <section className="device-detail" aria-label={`${selected.id} 详情`} data-testid="device-detail">
          <header className="device-detail__header">
            <h2 className="device-detail__title">
              {DEVICE_ROLE_LABELS[selected.role]} <code>{selected.id}</code>
            </h2>
            <Tag tone={DEVICE_STATE_TONES[selected.state]}>{DEVICE_STATE_LABELS[selected.state]}</Tag>
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
