import { DEVICE_ROLE_LABELS, DEVICE_STATE_LABELS, type DeviceStatusView } from '../../../shared/domain';
import { formatDateTime } from '../../common/format';
import { DataTable, Tag, type Column } from '../../ui';
import { DEVICE_STATE_TONES } from './device-tone';
import { useDevices } from './DeviceStatusProvider';

const COLUMNS: readonly Column<DeviceStatusView>[] = [
  { header: '设备', cell: (d) => DEVICE_ROLE_LABELS[d.role], width: '110px' },
  { header: '编号', cell: (d) => <code>{d.id}</code> },
  { header: '型号', cell: (d) => d.model },
  { header: '接口', cell: (d) => <code>{d.path}</code> },
  { header: '状态', cell: (d) => <Tag tone={DEVICE_STATE_TONES[d.state]}>{DEVICE_STATE_LABELS[d.state]}</Tag>, width: '90px' },
  { header: '说明', cell: (d) => d.detail || '—' },
  { header: '状态更新', cell: (d) => formatDateTime(d.since), align: 'end', width: '180px' },
];

/** Every configured peripheral, live. */
export function DeviceList() {
  const devices = useDevices();
  return (
    <DataTable
      caption="外设列表"
      data-testid="device-list"
      columns={COLUMNS}
      rows={devices ?? []}
      rowKey={(d) => d.id}
      empty={devices === null ? '正在读取设备状态…' : '本工作站未配置外设'}
    />
  );
}
