/** At-rest protection: the field cipher (SM4 + HMAC-SM3 under the station's data keys) and operator password hashing. */
export { FieldCipher, isSealed, loadOrCreateDataKeys, type DataKeys } from './field-cipher';
export { DEFAULT_KDF_COST, hashPassword, verifyPassword, type KdfCost } from './passwords';
