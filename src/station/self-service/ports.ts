/**
 * What patient self-service at a face terminal (HX-T1) needs from the rest of the station, as narrow
 * interfaces: the outpatient core (a port the composition root adapts from OutpatientService and the identify
 * workflow) and the face terminals (the DeviceManager fits `SelfServiceDevices` as it is).
 */
import type { Disposable } from '../../shared/lifecycle';
import type { DeviceFaceSessionEvent } from '../../devices/manager';
import type { FaceIdentity, SessionCommand } from '../../devices/parsers/face-messages';
import type { OperatorView, OrderView } from '../../shared/domain';

/** The operator self-service acts as: audit and the NHSA `opter` name it. */
export const SELF_SERVICE_OPERATOR: OperatorView = { id: 'zz001', name: '自助终端', role: 'cashier' };

/**
 * The station's outpatient core as self-service uses it. Errors are StationErrors (src/shared/result.ts);
 * `OUTCOME_UNKNOWN` means a movement's outcome is being resolved by the outbox.
 */
export interface SelfServicePort {
  /** 1101 for the e-voucher identity the terminal verified (cert type 01); the identification to list orders by. */
  identifyByFace(identity: FaceIdentity, operator: OperatorView): Promise<{ identificationId: string; name: string }>;
  /** The patient's unsettled HIS orders; self-service takes those in state 'open' or 'previewed'. */
  listOrders(operator: OperatorView, identificationId: string): Promise<OrderView[]>;
  /** 2201 / 2204 / 2206: the split, nothing booked. */
  preSettle(operator: OperatorView, orderId: string): Promise<OrderView>;
  /** 2207: 'awaiting-payment' with a cash share, 'completed' (or 'insurance-settled' / 'in-doubt' while HIS confirms) without. */
  settle(operator: OperatorView, orderId: string): Promise<OrderView>;
  /**
   * The cash share by the payment code the terminal read (raw; the adapter registers it as a scan).
   * 'completed': paid; 'awaiting-payment' (with `detail`): the payment failed; 'in-doubt': being resolved.
   */
  payByCode(operator: OperatorView, orderId: string, authCode: string): Promise<OrderView>;
  /** 2208 → 2205 → 2202: the insurance part must not stay booked without its cash share. 'open' when done. */
  cancelSettlement(operator: OperatorView, orderId: string, why?: string): Promise<OrderView>;
}

/** The face terminals as self-service uses them; `DeviceManager` is one. */
export interface SelfServiceDevices {
  onSelfService(listener: (start: { deviceId: string; sessionId: string }) => void): Disposable;
  onFaceSession(listener: (event: DeviceFaceSessionEvent) => void): Disposable;
  faceVerify(deviceId: string, request: { outBizNo: string }): Promise<{ identity: FaceIdentity }>;
  /** Sends a session command; resolves with the sequence number it carried. */
  faceSession(deviceId: string, command: SessionCommand): Promise<number>;
}
