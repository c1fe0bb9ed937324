/**
 * The Chinese commercial cryptography the insurance protocols need (SM2 signatures, SM3, SM4), in pure JS.
 * Electron's BoringSSL has none of the SM algorithms, so this runs on sm-crypto-v2 and never on node:crypto.
 */
export { sm3, sm3Hex, hmacSm3 } from './sm3';
export { sm4EncryptEcb, sm4DecryptEcb, sm4EncryptCbc, sm4DecryptCbc } from './sm4';
export {
  sm2GenerateKeyPair,
  sm2Sign,
  sm2Verify,
  sm2IsValidPrivateKey,
  sm2IsValidPublicKey,
  sm2PrecomputeNonces,
  sm2PooledNonceCount,
  DEFAULT_SM2_USER_ID,
  type Sm2KeyPair,
  type Sm2Options,
} from './sm2';
export { randomBytes } from './random';
export { toHex, fromHex, toBase64, fromBase64, utf8 } from './encoding';
export {
  MOBILE_PAY_VERSION,
  mobilePayDataKey,
  mobilePaySignText,
  sealMobilePay,
  openMobilePay,
  privateKeyHexFromBase64,
  publicKeyHexFromBase64,
  type MobilePayEnvelope,
  type MobilePayKeys,
} from './mobile-pay-envelope';
