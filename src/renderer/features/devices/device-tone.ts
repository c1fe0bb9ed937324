import type { DeviceState, LinkState } from '../../../shared/domain';
import type { Tone } from '../../common/tone';

export const DEVICE_STATE_TONES: Record<DeviceState, Tone> = {
  connected: 'ok',
  connecting: 'warn',
  disconnected: 'danger',
  error: 'danger',
};

export const LINK_STATE_TONES: Record<LinkState, Tone> = {
  online: 'ok',
  offline: 'danger',
  unknown: 'neutral',
};
