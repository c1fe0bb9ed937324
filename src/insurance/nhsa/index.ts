/** The NHSA two-ends (两定) client: configuration, msgids, the client and the typed transactions. */
export { NhsaConfigSchema, type NhsaConfig, type NhsaConfigInput } from './config';
export { formatMsgid, MemoryMsgIdAllocator, MSGID_LENGTH, type MsgIdAllocator } from './msgid';
export { NhsaClient, type NhsaClientDeps } from './client';
export type { CallContext, NhsaOutcome, UnknownReason } from './outcome';
export type { RequestEnvelope } from './envelope';
export { HttpTransport, type HttpReply, type NhsaTransport } from './transport';
export { defineTransaction, narrowOutput, type Transaction } from './transactions/define';
export { signIn, signOut, type SignInResult, type SignOutResult } from './transactions/sign';
export { personInfo, type PersonInfo, type PersonInfoInput, type PersonInsurance } from './transactions/person';
