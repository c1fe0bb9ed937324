/**
 * What of a card or a person may appear in device logs, warnings and the IT panel: enough to tell reads
 * apart, never enough to identify the patient (names, card and ID numbers are personal data).
 */

/** 张三 → 张*, 欧阳娜娜 → 欧***. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

/** E35020101 → E3*****01; short numbers are hidden whole. */
export function maskNumber(value: string): string {
  if (value.length <= 6) return '*'.repeat(value.length);
  return `${value.slice(0, 2)}${'*'.repeat(value.length - 4)}${value.slice(-2)}`;
}
