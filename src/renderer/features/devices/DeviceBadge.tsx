import { DEVICE_ROLE_LABELS, DEVICE_STATE_LABELS, type DeviceStatusView } from '../../../shared/domain';
import { formatTime } from '../../common/format';
import { DEVICE_STATE_TONES } from './device-tone';
import { StatusBadge } from './StatusBadge';

export function DeviceBadge({ device }: { device: DeviceStatusView }) {
  const tooltip = [`${device.model} · ${device.path}`, device.detail, `${formatTime(device.since)} 起`].filter(Boolean).join('\n');
  return (
    <StatusBadge tone={DEVICE_STATE_TONES[device.state]} state={device.state} tooltip={tooltip} testId={`device-badge-${device.id}`}>
      {DEVICE_ROLE_LABELS[device.role]} {DEVICE_STATE_LABELS[device.state]}
    </StatusBadge>
  );
}
