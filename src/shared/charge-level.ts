/**
 * A catalogue item's charge level as people read it. The centre sends `chrgitm_lv` 01/02/03 (2204, 5204, 1312);
 * slips and screens show 甲类/乙类/丙类, never the code. Idempotent: a name already given (甲, 甲类) stays a name.
 */
export const CHARGE_LEVEL_NAMES: Readonly<Record<string, string>> = {
  '01': '甲类',
  '02': '乙类',
  '03': '丙类',
  甲: '甲类',
  乙: '乙类',
  丙: '丙类',
  甲类: '甲类',
  乙类: '乙类',
  丙类: '丙类',
};

/** '01' → 甲类; '' (before 2204) → ''; a code the national table does not have → 其他. */
export function chargeLevelName(level: string): string {
  const code = level.trim();
  if (code === '') return '';
  return CHARGE_LEVEL_NAMES[code] ?? '其他';
}
