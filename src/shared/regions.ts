/**
 * Names of the insurance regions (医保区划, 6-digit admdvs) the screens show. A short built-in table for the
 * regions the training data and the first hospitals use; unknown codes show as the code itself. The full
 * national table arrives with the catalogue downloads (13xx) into SQLite.
 */
const REGION_NAMES: Record<string, string> = {
  '110000': '北京市',
  '310000': '上海市',
  '340100': '安徽省合肥市',
  '340800': '安徽省安庆市',
  '350100': '福建省福州市',
  '350200': '福建省厦门市',
  '350500': '福建省泉州市',
  '140100': '山西省太原市',
  '230600': '黑龙江省大庆市',
  '440100': '广东省广州市',
  '440300': '广东省深圳市',
  '442000': '广东省中山市',
  '220000': '吉林省',
};

export function regionName(code: string): string {
  return REGION_NAMES[code] ?? `区划 ${code}`;
}

/** Same province: the first two digits of the region code. */
export function sameProvince(a: string, b: string): boolean {
  return a.slice(0, 2) === b.slice(0, 2);
}
