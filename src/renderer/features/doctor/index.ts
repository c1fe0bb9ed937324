import './doctor.css';

export { DoctorScreen } from './DoctorScreen';
export { TodayOrders } from './TodayOrders';
