import './cashier.css';

export { IdentifyControls, IdentifyScreen, IdentifyStagePane } from './IdentifyScreen';
export { KeyboardHints } from './KeyboardHints';
export { ORDER_STATE_TONES } from './order-labels';
export { useIdentifyDesk } from './use-identify-desk';
