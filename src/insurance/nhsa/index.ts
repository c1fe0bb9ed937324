/** The NHSA two-ends (两定) client: configuration, msgids, the client and the typed transactions. */
export { NhsaConfigSchema, type NhsaConfig, type NhsaConfigInput } from './config';
export { formatMsgid, MemoryMsgIdAllocator, MSGID_LENGTH, type MsgIdAllocator } from './msgid';
export { NhsaClient, type NhsaClientDeps, type DownloadedFile } from './client';
export type { CallContext, NhsaOutcome, UnknownReason } from './outcome';
export type { RequestEnvelope } from './envelope';
export { HttpTransport, type ByteSink, type FileReply, type HttpReply, type NhsaTransport } from './transport';
export { defineTransaction, narrowOutput, NoOutput, type Transaction, type WireContext } from './transactions/define';
export {
  DEFAULT_REVERSIBLE_INFNOS,
  isStateChanging,
  TRANSACTION_KINDS,
  transactionInfo,
  type TransactionInfo,
  type TransactionKind,
} from './transactions/kinds';
export { signIn, signOut, type SignInResult, type SignOutResult } from './transactions/sign';
export { personInfo, type PersonInfo, type PersonInfoInput, type PersonInsurance } from './transactions/person';
export {
  PreSettlementOutput,
  SettlementOutput,
  splitDiscrepancies,
  type Settlement,
  type Setldetail,
  type Setlinfo,
} from './transactions/settlement-output';
export type { FeeLineResult } from './transactions/fee-lines';
export {
  cancelOutpatientFees,
  cancelOutpatientRegistration,
  cancelOutpatientSettlement,
  preSettleOutpatient,
  registerOutpatient,
  settleOutpatient,
  treatmentCheck,
  uploadOutpatientFees,
  uploadOutpatientVisit,
  type OutpatientFeeLineInput,
  type Registration,
  type RegistrationInput,
  type SettlementInput,
  type TreatmentCheckInput,
  type VisitUploadInput,
} from './transactions/outpatient';
export {
  admit,
  ALL_FEE_LINES,
  cancelAdmission,
  cancelDischarge,
  cancelInpatientFees,
  cancelInpatientSettlement,
  changeAdmission,
  discharge,
  preSettleInpatient,
  settleInpatient,
  uploadInpatientFees,
  type AdmissionChangeInput,
  type AdmissionInput,
  type DischargeInput,
  type InpatientFeeLineInput,
  type InpatientSettlementInput,
} from './transactions/inpatient';
export { NotReversibleError, reverseTransaction, type ReversalInput } from './transactions/reversal';
export {
  CLEARING_PAGE_ROWS,
  confirmClearing,
  fetchClearingDetail,
  fetchClearingPage,
  rollbackClearing,
  type ClearingRow,
  type ConfirmRow,
} from './transactions/clearing';
export {
  buildDetailFile,
  DetailResultFormatError,
  parseDetailResult,
  reconcileDetails,
  reconcileDetailsWithFile,
  reconcileTotals,
  type DetailLine,
  type DetailReconciliation,
  type DetailResult,
  type DetailsInput,
  type TotalsInput,
  type TotalsResult,
} from './transactions/reconciliation';
export {
  queryChronicDrugRecords,
  queryDiagnoses,
  queryFeeDetails,
  querySettlement,
  queryVisits,
  type ChronicDrugRecord,
  type DiagnosisRecord,
  type FeeRecord,
  type VisitRecord,
} from './transactions/query';
export {
  downloadCatalogue,
  downloadFile,
  FILE_CATALOGUES,
  openCatalogueRecords,
  queryHilist,
  queryPriceLimits,
  querySelfpayRatios,
  requestCatalogueFile,
  uploadFile,
  type DownloadedCatalogue,
  type DownloadedZip,
  type FileCatalogue,
  type FileRef,
  type HilistRow,
  type PriceLimitRow,
  type SelfpayRatioRow,
} from './transactions/files';
export { parseCatalogueLines, formatTabLines, type ParseOptions, type TabField, type TabRecord } from './files/tab-lines';
export {
  bytesZipSource,
  DEFAULT_ZIP_LIMITS,
  fileZipSource,
  readZip,
  writeZip,
  ZipArchive,
  ZipFormatError,
  type ZipEntry,
  type ZipLimits,
  type ZipSource,
} from './files/zip';
