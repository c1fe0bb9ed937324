import './devices.css';

export { DeviceList } from './DeviceList';
export { DeviceStatusProvider, useConnectivity, useDevices } from './DeviceStatusProvider';
export { StatusBar } from './StatusBar';
