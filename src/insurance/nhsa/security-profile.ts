/**
 * How the input and output are protected on the wire — the part of the two-ends interface that provinces vary.
 *
 * 'sm' (Jilin style, protocol-research §1.1):
 *   request  input   = Base64(SM4-ECB-PKCS7(key = the 16 ASCII bytes of clientId, UTF-8 JSON of input))
 *            cainfo  = Base64(r||s), SM3withSM2 by the station over that same JSON text; signtype "SM2",
 *            enc_type "SM4"
 *   response output = Base64 SM4 ciphertext with the same key; cainfo = the centre's SM2 signature over the
 *            decrypted output text. An answer without output (a business error) is signed over the empty
 *            string. The signature does not cover infcode or inf_refmsgid, so those are checked separately.
 * 'plain': input and output as JSON objects, cainfo and signtype empty.
 */
import { fromBase64, sm2Sign, sm2Verify, sm4DecryptEcb, sm4EncryptEcb, toBase64, utf8 } from '../crypto';
import type { NhsaConfig } from './config';
import type { ResponseEnvelope, SealedInput } from './envelope';

export type OpenedOutput =
  { ok: true; output: unknown } | { ok: false; reason: 'decrypt-failed' | 'bad-signature' | 'unparsable'; detail: string };

export interface SecurityProfile {
  /** `inputJson` is signed and encrypted exactly as given: the same text the centre will verify. */
  seal(inputJson: string): SealedInput;
  /** Recovers the output and checks the centre's signature. Never throws. */
  open(response: ResponseEnvelope): OpenedOutput;
}

export const plainProfile: SecurityProfile = {
  seal: (inputJson) => ({ input: JSON.parse(inputJson) as unknown, cainfo: '', signtype: '', enc_type: '' }),
  open: (response) => ({ ok: true, output: response.output }),
};

export interface SmKeys {
  clientId: string;
  stationPrivateKeyHex: string;
  centrePublicKeyHex: string;
  userId: string;
}

export function smProfile(keys: SmKeys): SecurityProfile {
  const sm4Key = utf8.encode(keys.clientId);
  if (sm4Key.length !== 16) throw new Error('the sm profile needs a clientId of 16 ASCII characters');
  const signOptions = { userId: keys.userId };

  return {
    seal(inputJson) {
      return {
        input: toBase64(sm4EncryptEcb(sm4Key, utf8.encode(inputJson))),
        cainfo: toBase64(sm2Sign(inputJson, keys.stationPrivateKeyHex, signOptions)),
        signtype: 'SM2',
        enc_type: 'SM4',
      };
    },

    open(response) {
      let text: string;
      const cipher = response.output;
      if (cipher === undefined || cipher === null || cipher === '') {
        text = '';
      } else if (typeof cipher !== 'string') {
        return { ok: false, reason: 'decrypt-failed', detail: `output is a ${typeof cipher}, not a Base64 ciphertext` };
      } else {
        try {
          text = utf8.decode(sm4DecryptEcb(sm4Key, fromBase64(cipher)));
        } catch (error) {
          return { ok: false, reason: 'decrypt-failed', detail: `output: ${(error as Error).message}` };
        }
      }

      let signature: Uint8Array;
      try {
        signature = fromBase64(response.cainfo);
      } catch {
        return { ok: false, reason: 'bad-signature', detail: 'cainfo is missing or not Base64' };
      }
      if (!sm2Verify(text, signature, keys.centrePublicKeyHex, signOptions)) {
        return { ok: false, reason: 'bad-signature', detail: 'the centre signature does not verify' };
      }

      if (text === '') return { ok: true, output: undefined };
      try {
        return { ok: true, output: JSON.parse(text) as unknown };
      } catch {
        return { ok: false, reason: 'unparsable', detail: `decrypted output is not JSON (${text.length} chars)` };
      }
    },
  };
}

export function securityProfileFor(config: NhsaConfig): SecurityProfile {
  if (config.profile === 'plain') return plainProfile;
  const { clientId, stationPrivateKeyHex, centrePublicKeyHex, userId } = config;
  // NhsaConfigSchema requires these three for the sm profile; this guards a config built without it.
  if (!clientId || !stationPrivateKeyHex || !centrePublicKeyHex) {
    throw new Error('the sm profile needs clientId, stationPrivateKeyHex and centrePublicKeyHex');
  }
  return smProfile({ clientId, stationPrivateKeyHex, centrePublicKeyHex, userId });
}
