/**
 * HID keyboard usages (usage page 0x07) to characters, US layout — what keyboard-wedge scanners assume by
 * default, whatever layout the operating system is set to. Reading usages instead of typed characters is
 * what keeps wedge input safe from the workstation's keyboard layout and from a Chinese IME.
 */

export const USAGE_ENTER = 0x28;
export const USAGE_KEYPAD_ENTER = 0x58;
/** "ErrorRollOver": the keyboard reports too many keys at once; the report says nothing about which */
export const USAGE_ROLLOVER_ERROR = 0x01;

/** keypad 1..9, 0 — the keys Alt+numpad character entry uses */
const KEYPAD_DIGITS: Readonly<Record<number, string>> = {
  0x59: '1',
  0x5a: '2',
  0x5b: '3',
  0x5c: '4',
  0x5d: '5',
  0x5e: '6',
  0x5f: '7',
  0x60: '8',
  0x61: '9',
  0x62: '0',
};

/** [unshifted, shifted] for the keys that type a printable character */
const PRINTABLE: ReadonlyMap<number, readonly [string, string]> = new Map<number, readonly [string, string]>([
  ...Array.from({ length: 26 }, (_, i): [number, [string, string]] => {
    const letter = String.fromCharCode(0x61 + i);
    return [0x04 + i, [letter, letter.toUpperCase()]];
  }),
  ...['1!', '2@', '3#', '4$', '5%', '6^', '7&', '8*', '9(', '0)'].map((pair, i): [number, [string, string]] => [
    0x1e + i,
    [pair[0]!, pair[1]!],
  ]),
  [0x2c, [' ', ' ']],
  [0x2d, ['-', '_']],
  [0x2e, ['=', '+']],
  [0x2f, ['[', '{']],
  [0x30, [']', '}']],
  [0x31, ['\\', '|']],
  [0x32, ['#', '~']], // non-US # (ISO keyboards); scanners set to US never send it, but it is unambiguous
  [0x33, [';', ':']],
  [0x34, ["'", '"']],
  [0x35, ['`', '~']],
  [0x36, [',', '<']],
  [0x37, ['.', '>']],
  [0x38, ['/', '?']],
  [0x54, ['/', '/']],
  [0x55, ['*', '*']],
  [0x56, ['-', '-']],
  [0x57, ['+', '+']],
  [0x63, ['.', '.']],
  ...Object.entries(KEYPAD_DIGITS).map(([usage, digit]): [number, [string, string]] => [Number(usage), [digit, digit]]),
]);

/** The character a key types, or undefined for keys that type none (Enter, Tab, arrows, F-keys …). */
export function characterForUsage(usage: number, shift: boolean): string | undefined {
  const pair = PRINTABLE.get(usage);
  return pair?.[shift ? 1 : 0];
}

export function keypadDigit(usage: number): string | undefined {
  return KEYPAD_DIGITS[usage];
}

export function isEnter(usage: number): boolean {
  return usage === USAGE_ENTER || usage === USAGE_KEYPAD_ENTER;
}
