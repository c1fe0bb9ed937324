import './cashier.css';

export { DeskStage, IdentifyScreen } from './IdentifyScreen';
export { ORDER_STATE_COLORS } from './order-labels';
export { useIdentifyDesk } from './use-identify-desk';
export { KeyConfirm } from './KeyConfirm';
