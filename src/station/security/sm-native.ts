/**
 * SM4-CBC and HMAC-SM3 through the runtime's own OpenSSL, where it has them: Node's OpenSSL 3 does, Electron's
 * BoringSSL does not. The field cipher opens one sealed value per row of a 100,000-row export; in JS that is
 * ≈ 35 µs a value (the SM4 key schedule and four SM3 blocks each time), natively a few µs. Same bytes either way
 * (PKCS#7 padding, HMAC per RFC 2104): a value sealed by one opens with the other.
 */
import crypto from 'node:crypto';

export interface SmPrimitives {
  hmacSm3(key: Uint8Array, data: Uint8Array | string): Uint8Array;
  sm4EncryptCbc(key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Uint8Array;
  sm4DecryptCbc(key: Uint8Array, iv: Uint8Array, cipher: Uint8Array): Uint8Array;
}

function available(): boolean {
  try {
    return crypto.getCiphers().includes('sm4-cbc') && crypto.getHashes().includes('sm3');
  } catch {
    return false;
  }
}

/** The native primitives, or null where the runtime's crypto has no SM4 / SM3 (the JS ones serve there). */
export const NATIVE_SM: SmPrimitives | null = available()
  ? {
      hmacSm3: (key, data) => new Uint8Array(crypto.createHmac('sm3', key).update(data).digest()),
      sm4EncryptCbc: (key, iv, plain) => {
        const c = crypto.createCipheriv('sm4-cbc', key, iv);
        return new Uint8Array(Buffer.concat([c.update(plain), c.final()]));
      },
      sm4DecryptCbc: (key, iv, cipher) => {
        const d = crypto.createDecipheriv('sm4-cbc', key, iv);
        return new Uint8Array(Buffer.concat([d.update(cipher), d.final()]));
      },
    }
  : null;
