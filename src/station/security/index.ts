/** At-rest protection: the field cipher (SM4 + HMAC-SM3 under the station's data keys) and operator password hashing. */
export { DATA_KEY_FILE, FieldCipher, isSealed, loadOrCreateDataKeys, type DataKeyGuard, type DataKeys } from './field-cipher';
export { writeFileDurably } from './durable-file';
export { DEFAULT_KDF_COST, hashPassword, verifyPassword, type KdfCost } from './passwords';
export {
  HospitalLookup,
  HospitalLookupKeySchema,
  nameIndexText,
  newHospitalLookupKey,
  type HospitalLookupKey,
  type PatientTokens,
} from './hospital-lookup';
