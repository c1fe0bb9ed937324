import './cashier.css';

export { DeskStage, IdentifyScreen } from './IdentifyScreen';
export { ORDER_STATE_COLORS, ORDER_STATE_TONES } from './order-labels';
export { useIdentifyDesk } from './use-identify-desk';
