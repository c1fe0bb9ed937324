/**
 * The centre's side of the Jilin-style SM profile, written from the protocol description and not from the
 * client: SM4-ECB/PKCS#7 with the client id's ASCII bytes as key, Base64 on the wire, SM3withSM2 signatures
 * as raw r||s, the station signing its plaintext input text and the centre its plaintext output text
 * (the empty text when there is no output).
 *
 * The two keys never change for a running centre, so Z_A of each is computed once, the digest e = SM3(Z_A || M)
 * is taken on the bytes, and the station's key is kept as a precomputed point: the library would otherwise redo
 * all three, through hex strings, for every message.
 */
import { sm2, sm3, sm4 } from 'sm-crypto-v2';

const decoder = new TextDecoder('utf-8', { fatal: true });
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface CentreKeys {
  clientId: string;
  centrePrivateKeyHex: string;
  stationPublicKeyHex: string;
}

export class CentreCrypto {
  private readonly sm4Key: Uint8Array;
  private readonly centreZ: Uint8Array;
  private readonly stationZ: Uint8Array;
  private readonly stationPoint: ReturnType<typeof sm2.precomputePublicKey>;

  constructor(
    private readonly keys: CentreKeys,
    userId: string,
  ) {
    this.sm4Key = new Uint8Array(Buffer.from(keys.clientId, 'latin1'));
    if (this.sm4Key.length !== 16 || !/^[\x21-\x7e]{16}$/.test(keys.clientId)) {
      throw new Error('clientId must be 16 printable ASCII characters');
    }
    this.centreZ = sm2.getZ(sm2.getPublicKeyFromPrivateKey(keys.centrePrivateKeyHex), userId);
    this.stationZ = sm2.getZ(keys.stationPublicKeyHex, userId);
    this.stationPoint = sm2.precomputePublicKey(keys.stationPublicKeyHex);
  }

  /** e = SM3(Z || M). */
  private digest(z: Uint8Array, text: string): Uint8Array {
    const message = Buffer.from(text, 'utf8');
    return new Uint8Array(Buffer.from(sm3(Buffer.concat([z, message])), 'hex'));
  }

  /** Base64 ciphertext -> plaintext JSON text; throws when it is not one. */
  decryptInput(base64: string): string {
    if (!BASE64.test(base64) || base64.length === 0) throw new Error('input is not Base64');
    const cipher = new Uint8Array(Buffer.from(base64, 'base64'));
    if (cipher.length % 16 !== 0) throw new Error('ciphertext is not whole blocks');
    const padded = sm4.decrypt(cipher, this.sm4Key, { padding: 'none', output: 'array' });
    const pad = padded[padded.length - 1] ?? 0;
    if (pad < 1 || pad > 16 || padded.subarray(padded.length - pad).some((b) => b !== pad)) {
      throw new Error('bad padding');
    }
    return decoder.decode(padded.subarray(0, padded.length - pad));
  }

  encryptOutput(plainText: string): string {
    const cipher = sm4.encrypt(new Uint8Array(Buffer.from(plainText, 'utf8')), this.sm4Key, { output: 'array' });
    return Buffer.from(cipher).toString('base64');
  }

  verifyStation(plainText: string, cainfo: string): boolean {
    if (!BASE64.test(cainfo)) return false;
    const signature = Buffer.from(cainfo, 'base64');
    if (signature.length !== 64) return false;
    try {
      return sm2.doVerifySignature(this.digest(this.stationZ, plainText), signature.toString('hex'), this.stationPoint, {
        hash: false,
        der: false,
      });
    } catch {
      return false;
    }
  }

  sign(plainText: string): string {
    const signatureHex = sm2.doSignature(this.digest(this.centreZ, plainText), this.keys.centrePrivateKeyHex, { hash: false, der: false });
    return Buffer.from(signatureHex, 'hex').toString('base64');
  }
}
