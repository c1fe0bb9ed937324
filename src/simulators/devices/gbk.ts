/**
 * GBK encoding for the emulators: Chinese card readers and Alt-mode scanners put names and addresses on the
 * wire in GBK, and Node ships a GBK decoder but no encoder. The table is the decoder run backwards over every
 * two-byte GBK code, built once on first use.
 */
let table: Map<string, number> | undefined;

function gbkTable(): Map<string, number> {
  if (table) return table;
  const decoder = new TextDecoder('gbk', { fatal: true });
  const built = new Map<string, number>();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      let char: string;
      try {
        char = decoder.decode(Uint8Array.of(lead, trail));
      } catch {
        continue;
      }
      if (char.length === 1 && !built.has(char)) built.set(char, (lead << 8) | trail);
    }
  }
  table = built;
  return built;
}

/** The GBK code of one character: < 0x80 for ASCII, else a two-byte value (lead << 8 | trail). */
export function gbkCodeOf(char: string): number {
  const codePoint = char.codePointAt(0);
  if (codePoint !== undefined && codePoint < 0x80 && char.length === 1) return codePoint;
  const code = gbkTable().get(char);
  if (code === undefined) throw new RangeError(`${JSON.stringify(char)} has no GBK encoding`);
  return code;
}

export function encodeGbk(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const char of text) {
    const code = gbkCodeOf(char);
    if (code < 0x80) bytes.push(code);
    else bytes.push(code >> 8, code & 0xff);
  }
  return Uint8Array.from(bytes);
}
