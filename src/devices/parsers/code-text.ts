/**
 * What makes a scanned code acceptable as text, whatever carried it (serial line, HID POS report, key
 * presses): valid UTF-8 and no control characters. A scanned code goes on to a payment or insurance call,
 * so noise is dropped, never cleaned up.
 */

export type CodeTextProblem = 'control-byte' | 'invalid-utf8';

// ignoreBOM keeps a leading U+FEFF in the text: the code is exactly what the device sent.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeCodeText(bytes: Uint8Array): { ok: true; text: string } | { ok: false; problem: CodeTextProblem } {
  // A raw control byte wins over invalid UTF-8: it says "line noise" more precisely.
  for (const byte of bytes) if (byte < 0x20 || byte === 0x7f) return { ok: false, problem: 'control-byte' };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, problem: 'invalid-utf8' };
  }
  return hasControlCharacter(text) ? { ok: false, problem: 'control-byte' } : { ok: true, text };
}

/** C0 controls and DEL, and C1 controls (U+0080..U+009F: valid UTF-8 but just as much noise). */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x20 || (unit >= 0x7f && unit <= 0x9f)) return true;
  }
  return false;
}
