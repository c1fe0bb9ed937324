import './shift.css';

export { ShiftButton, SHIFT_KEY } from './ShiftButton';
export { DayClose } from './DayClose';
