/**
 * What the station core needs from the outside, as narrow interfaces. The composition root (src/app/compose)
 * plugs in the real NHSA client and device manager; tests plug in the same real parts against simulators.
 */
import type { CertType, ConnectivityView, DeviceFrameView, DeviceStatusView, DeviceTestView, OperatorView } from '../shared/domain';
import type { HisClient } from '../insurance/his';
import type { MessageClient } from '../insurance/messages';
import type { PayChannelClient } from '../insurance/pay-channel';
import type { NhsaGateway } from './insurance/nhsa-gateway';
import type { StoredPerson } from './store/persons-repo';

/** A person as 1101 answered, already converted to fen and station types. */
export interface PersonLookup {
  person: StoredPerson;
  msgid: string;
}

export interface VoucherIdentity {
  ecToken: string;
  idNo: string;
  userName: string;
  insuOrg: string;
}

export interface InsuranceGateway {
  /** ec.query: an e-voucher QR → a one-business-use token and who it belongs to. */
  decodeVoucher(operator: OperatorView, qrCode: string): Promise<VoucherIdentity>;
  /** 1101, signing the operator in (9001) first when they hold no sign-in for today. */
  personInfo(
    operator: OperatorView,
    query: { certType: CertType; certNo: string; cardSn?: string; insuredRegion?: string },
  ): Promise<PersonLookup>;
  connectivity(operator: OperatorView | null): ConnectivityView;
}

export interface DeviceHub {
  list(): DeviceStatusView[];
  /** Whether any device of the role is usable now. */
  isConnected(role: DeviceStatusView['role']): boolean;
  recentFrames(deviceId: string, limit: number): DeviceFrameView[];
  /** Reads the social-security card in a card reader: the 1101 inputs for cert type 03. */
  readCard(deviceId?: string): Promise<{ certType: '03'; certNo: string; cardSn: string; insuredRegion: string }>;
  /** Reads the resident ID card (居民身份证) in a card reader: its number, the 1101 input for cert type 02 (AQ-13). */
  readIdCard(deviceId?: string): Promise<{ certNo: string }>;
  /** Asks the face terminal to verify the patient in front of it (outBizNo: our id for this verification). */
  faceVerify(deviceId: string | undefined, outBizNo: string): Promise<VoucherIdentity>;
  /** Waits for the device to read something (the admin presents a code or card); fails after a timeout. */
  testRead(deviceId: string): Promise<DeviceTestView>;
  /** The window's bank-card POS terminal; absent or null where none is configured. */
  cardTerminal?: CardTerminalPort | null;
}

/** The NHSA centre as a movement or saga step calls it: one transaction, signed in for the operator. */
export type CentrePort = Pick<NhsaGateway, 'perform'>;

/** HIS as the outpatient saga uses it (orders, bookings, their details, HIS's own changes, refund applications). */
export type HisPort = Pick<
  HisClient,
  | 'patient'
  | 'unsettledOrders'
  | 'orderChanges'
  | 'confirmSettlement'
  | 'selfPaySettlement'
  | 'settlement'
  | 'cancelSettlement'
  | 'applyRefund'
  | 'confirmPartialRefund'
  | 'withdrawRefund'
>;

/** The unified payment platform as the cash share and the refund use it. */
export type PaymentPort = Pick<PayChannelClient, 'precreate' | 'micropay' | 'query' | 'reverse' | 'close' | 'refund' | 'refundQuery'>;

/** The patient-message gateway. */
export type MessagePort = Pick<MessageClient, 'send'>;

/** One answer of the bank-card POS terminal (src/devices/parsers/pos-messages.ts): code 00 approved. */
export interface CardTerminalAnswer {
  code: string;
  ref: string;
  amountFen: number;
  trace: string;
  rrn: string;
  cardMasked: string;
  message: string;
}

/**
 * The window's bank-card POS terminal (the device manager's, over serial). A sale, void or refund that throws
 * (no answer in time, the line gone) has an unknown outcome: it is asked after by `query` under the same REF.
 */
export interface CardTerminalPort {
  /** Whether the terminal answers now: a sale is not started on one that is unplugged or silent. */
  ready?(): boolean;
  sale(ref: string, amountFen: number): Promise<CardTerminalAnswer>;
  query(ref: string): Promise<CardTerminalAnswer>;
  void(ref: string, origRef: string, amountFen: number): Promise<CardTerminalAnswer>;
  refund(ref: string, origRef: string, amountFen: number): Promise<CardTerminalAnswer>;
}
