/** The station's view of its devices: the device log (frames and statuses, codes masked). */
export { DeviceLog, maskCode } from './device-log';
