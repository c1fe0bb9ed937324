/** NHSA mobile insurance payment (医保移动支付) at the station: the API, its movements and its rows. */
export { MOBILE_NEXT_STEPS, MobileSettlement, MobileSettlementError, newMobileId, type MobileSettlementDeps } from './mobile-settlement';
export { mobileMovements, type MobileMovementDeps, type MobilePayPort } from './movements';
export { mobileWardBookingMovement, type WardBookingDeps } from './ward-booking';
export { mobileClinicBookingMovement, mobileClinicCancelMovement, type ClinicBookingDeps } from './clinic-booking';
export { mobileWardCancelMovement, type WardUnbookingDeps } from './ward-unbooking';
export { listMobileOrders, MobileOrdersRepo, type MobileOrderRow, type MobileOrderSummary } from './orders-repo';
export { refusalText, refusedBooking, requestRebook, type RebookRequest } from './his-rebooking';
export { OPEN_ORDER_STATES, openMobileOrders, requestUploadCancel, type CancelRequest, type OpenMobileOrder } from './abandoned-uploads';
export { mobileOrderFacts, withMobileOrders, type MobileFactsDeps } from './ledger-facts';
