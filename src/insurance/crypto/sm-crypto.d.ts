/**
 * Types for `sm-crypto` (JuneAndGreen, 0.5.x), which ships none. It is a devDependency used only by tests and
 * bench/ as an independent second implementation to cross-check ours byte for byte; the app never loads it.
 * It is CommonJS whose named exports Node's ESM loader cannot detect: import the default export.
 */
declare module 'sm-crypto' {
  interface SignOptions {
    der?: boolean;
    hash?: boolean;
    publicKey?: string;
    userId?: string;
  }
  interface Sm4Options {
    padding?: 'pkcs#7' | 'pkcs#5' | 'none';
    mode?: 'ecb' | 'cbc';
    iv?: string | Uint8Array;
    output?: 'string' | 'array';
  }
  export const sm2: {
    generateKeyPairHex(): { privateKey: string; publicKey: string };
    getPublicKeyFromPrivateKey(privateKeyHex: string): string;
    doSignature(msg: string | Uint8Array | number[], privateKeyHex: string, options?: SignOptions): string;
    doVerifySignature(
      msg: string | Uint8Array | number[],
      signatureHex: string,
      publicKeyHex: string,
      options?: Omit<SignOptions, 'publicKey'>,
    ): boolean;
  };
  /** Hex digest; with `{ key }` an HMAC-SM3. Strings are UTF-8 encoded. */
  export function sm3(input: string | Uint8Array | number[], options?: { key: string | Uint8Array; mode?: 'hmac' }): string;
  export const sm4: {
    /** Hex output by default; `output: 'array'` gives a number[]. Keys are hex strings or 16 bytes. */
    encrypt(input: string | Uint8Array | number[], key: string | Uint8Array, options?: Sm4Options): string | number[];
    decrypt(input: string | Uint8Array | number[], key: string | Uint8Array, options?: Sm4Options): string | number[];
  };
  const smCrypto: { sm2: typeof sm2; sm3: typeof sm3; sm4: typeof sm4 };
  export default smCrypto;
}
