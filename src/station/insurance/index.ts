/** The station's side of the NHSA centre: the gateway (the InsuranceGateway port) and persistent message ids. */
export { NhsaGateway, type NhsaGatewayOptions } from './nhsa-gateway';
export { PersistentMsgIdAllocator } from './persistent-msgids';
