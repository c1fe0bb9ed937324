import './cashier.css';

export { DeskStage, IdentifyScreen } from './IdentifyScreen';
export { ORDER_STATE_COLORS } from './order-labels';
export { TodayList } from './TodayList';
export { todayOrderColumns } from './today-columns';
export { orderActivityAt, todayTotals } from './today-orders';
export { useIdentifyDesk } from './use-identify-desk';
export { KeyConfirm } from './KeyConfirm';
export { ReasonConfirm } from './ReasonConfirm';
export { useTodayOrders } from './use-today-orders';
export { KeyBar } from './KeyBar';
export type { KeyState } from './key-map';
export { maskPersonName } from './today-list';
export { QrPanel } from './QrPanel';
export { WindowDepositRefunds } from './WindowDepositRefunds';
export { UndoStaySettlement } from './UndoStaySettlement';
