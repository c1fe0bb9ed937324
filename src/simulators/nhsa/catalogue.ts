/**
 * The simulated centre's catalogue (医保目录): 31 items, drugs (西药 / 中成药, served by 1301) and medical services
 * (served by 1305), each with its national code, charge level and unit-price limit. Codes follow the national
 * shapes (a 23/20-character drug code, a 15-digit service code) but the items, prices and limits are invented for
 * training. Data, not code: the policy reads chrgitm_lv, kind and the limit from here.
 *
 *   chrgitm_lv   01 class A (甲类), 02 class B (乙类), 03 class C (丙类, self-pay)
 *   med_chrgitm_type  01 床位费 02 诊察费 03 检查费 04 化验费 05 治疗费 06 手术费 07 护理费 09 西药费 11 中成药费
 *                     12 一般诊疗费 14 其他费
 */

export type ItemKind = 'drug' | 'service';

export interface CatalogueItem {
  med_list_codg: string;
  name: string;
  kind: ItemKind;
  chrgitm_lv: '01' | '02' | '03';
  med_chrgitm_type: string;
  /** Unit-price limit in yuan (decimal text); null = no limit. */
  pric_uplmt: string | null;
  spec: string;
  /** Pricing unit (计价单位). */
  unit: string;
  /** Catalogue version that last changed the item: 13xx with `ver` returns only newer items. */
  ver: string;
  /** For drugs. */
  dosform?: string;
  manufacturer?: string;
}

export const CATALOGUE_VERSIONS = { initial: '20260101001', midYear: '20260615001' } as const;
const { initial, midYear } = CATALOGUE_VERSIONS;

const drug = (
  med_list_codg: string,
  name: string,
  chrgitm_lv: CatalogueItem['chrgitm_lv'],
  pric_uplmt: string | null,
  spec: string,
  unit: string,
  dosform: string,
  manufacturer: string,
  ver: string = initial,
  med_chrgitm_type = med_list_codg.startsWith('Z') ? '11' : '09',
): CatalogueItem => ({
  med_list_codg,
  name,
  kind: 'drug',
  chrgitm_lv,
  med_chrgitm_type,
  pric_uplmt,
  spec,
  unit,
  ver,
  dosform,
  manufacturer,
});

const service = (
  med_list_codg: string,
  name: string,
  chrgitm_lv: CatalogueItem['chrgitm_lv'],
  med_chrgitm_type: string,
  pric_uplmt: string | null,
  unit: string,
  ver: string = initial,
): CatalogueItem => ({ med_list_codg, name, kind: 'service', chrgitm_lv, med_chrgitm_type, pric_uplmt, spec: '', unit, ver });

export const CATALOGUE: readonly CatalogueItem[] = [
  drug('XJ01CAA040A001010100005', '阿莫西林胶囊', '01', '25.00', '0.25g*24粒/盒', '盒', '胶囊剂', '鹭岛制药有限公司'),
  drug('XN02BEA011A001010104061', '对乙酰氨基酚片', '01', '8.00', '0.5g*20片/盒', '盒', '片剂', '闽南药业股份有限公司'),
  drug('XJ01DCC047A001010102934', '头孢克洛胶囊', '02', '32.00', '0.25g*6粒/盒', '盒', '胶囊剂', '鹭岛制药有限公司'),
  drug('XR05CBA096A001010200178', '盐酸氨溴索口服溶液', '02', '28.50', '100ml/瓶', '瓶', '口服溶液剂', '海西制药有限公司'),
  drug('XC10AAA105A001010100837', '阿托伐他汀钙片', '02', '35.00', '20mg*7片/盒', '盒', '片剂', '闽南药业股份有限公司'),
  drug('XA10BAA021A001010100264', '盐酸二甲双胍片', '01', '12.00', '0.5g*20片/盒', '盒', '片剂', '海西制药有限公司'),
  drug('XC08CAA016A001010104281', '苯磺酸氨氯地平片', '01', '18.00', '5mg*7片/盒', '盒', '片剂', '鹭岛制药有限公司'),
  drug('XA02BCA174A001010105130', '奥美拉唑肠溶胶囊', '02', '26.00', '20mg*14粒/盒', '盒', '胶囊剂', '闽南药业股份有限公司'),
  drug('XJ01FAA093A001010102047', '阿奇霉素片', '02', '30.00', '0.25g*6片/盒', '盒', '片剂', '海西制药有限公司', midYear),
  drug('XB01ACA056A001010101753', '阿司匹林肠溶片', '01', '15.50', '100mg*30片/盒', '盒', '片剂', '鹭岛制药有限公司'),
  drug('XM01AEI009A001010103562', '布洛芬缓释胶囊', '02', '22.00', '0.3g*20粒/盒', '盒', '胶囊剂', '闽南药业股份有限公司'),
  drug('ZA09BAX0335020301839', '复方甘草口服溶液', '02', '12.80', '100ml/瓶', '瓶', '口服溶液剂', '海西制药有限公司'),
  drug('ZA01BAL0012010101283', '连花清瘟胶囊', '02', '28.00', '0.35g*24粒/盒', '盒', '胶囊剂', '鹭江中药有限公司', midYear),
  drug('ZA04AAS0157010109527', '蒲地蓝消炎口服液', '03', null, '10ml*10支/盒', '盒', '口服液', '鹭江中药有限公司'),
  drug('XS01XAX050B002020103111', '玻璃酸钠滴眼液', '03', null, '0.3%*5ml/支', '支', '滴眼剂', '海西制药有限公司'),
  drug('XB05AAR001B002010100112', '人血白蛋白注射液', '02', '380.00', '10g/瓶', '瓶', '注射剂', '厦门生物制品有限公司'),
  drug('XJ01DDA115B002010201045', '注射用头孢曲松钠', '02', '9.80', '1.0g/支', '支', '注射剂', '鹭岛制药有限公司'),
  drug('XB05BBA001B002010100457', '氯化钠注射液', '01', '4.50', '0.9%*250ml/袋', '袋', '注射剂', '闽南药业股份有限公司'),
  service('001102000010000', '普通门诊诊察费', '01', '02', '10.00', '次'),
  service('001102000020000', '副主任医师门诊诊察费', '02', '02', '20.00', '次'),
  service('001201000010000', '一般诊疗费', '01', '12', '10.00', '次'),
  service('002501000010000', '血细胞分析（血常规）', '01', '04', '20.00', '项'),
  service('002503010120000', 'C反应蛋白测定', '02', '04', '25.00', '项', midYear),
  service('002201000010000', 'X线摄影（胸部正位）', '02', '03', '50.00', '次'),
  service('002202030010000', 'CT平扫（头颅）', '02', '03', '200.00', '次'),
  service('002203000010000', '常规心电图检查', '01', '03', '20.00', '次'),
  service('001204000010000', '静脉输液', '01', '05', '6.00', '次'),
  service('001101000010000', '普通病房床位费', '01', '01', '40.00', '日'),
  service('001203000010000', 'Ⅱ级护理', '01', '07', '25.00', '日'),
  service('003311000010000', '阑尾切除术', '02', '06', '1200.00', '次'),
  service('003100000010000', '健康体检套餐（自愿）', '03', '14', null, '次'),
];

const byCode = new Map(CATALOGUE.map((item) => [item.med_list_codg, item]));

export function catalogueItem(code: string): CatalogueItem | undefined {
  return byCode.get(code);
}

/** 1301 西药中成药 holds the drugs, 1305 医疗服务项目 the services. */
export const CATALOGUE_FILES: Readonly<Record<string, { kind: ItemKind; columns: readonly string[] }>> = {
  // A subset of the national 1301 layout, in its order (the real file has some 90 columns).
  '1301': {
    kind: 'drug',
    columns: [
      'med_list_codg',
      'drug_prodname',
      'genname_codg',
      'drug_genname',
      'chemname',
      'alis',
      'eng_name',
      'dosform',
      'dosform_name',
      'drug_type',
      'drug_type_name',
      'drug_spec',
      'min_useunt',
      'min_salunt',
      'min_unt',
      'min_prcunt',
      'wubi',
      'pinyin',
      'prod_entp_name',
      'vali_flag',
      'rid',
      'ver',
      'ver_name',
    ],
  },
  '1305': {
    kind: 'service',
    columns: [
      'med_list_codg',
      'prcunt',
      'prcunt_name',
      'item_explain',
      'item_excluded',
      'item_connotation',
      'vali_flag',
      'memo',
      'item_cat',
      'item_name',
      'item_explain2',
      'rid',
      'ver',
      'ver_name',
    ],
  },
};

/** One line of a catalogue file: null prints as "null", "" stays an empty field. */
export function catalogueRow(infno: string, item: CatalogueItem, index: number): (string | null)[] {
  const rid = `${item.ver}${String(index + 1).padStart(6, '0')}`;
  const verName = item.ver === midYear ? '2026年年中目录调整' : '2026年版国家医保目录';
  if (infno === '1301') {
    return [
      item.med_list_codg,
      item.name,
      item.med_list_codg.slice(0, 11),
      item.name,
      null,
      '',
      null,
      item.dosform ?? '',
      item.dosform ?? '',
      item.med_chrgitm_type === '11' ? '2' : '1',
      item.med_chrgitm_type === '11' ? '中成药' : '西药',
      item.spec,
      item.unit,
      item.unit,
      item.unit,
      item.unit,
      null,
      '',
      item.manufacturer ?? '',
      '1',
      rid,
      item.ver,
      verName,
    ];
  }
  return [item.med_list_codg, item.unit, item.unit, '', '', '', '1', '', item.med_chrgitm_type, item.name, '', rid, item.ver, verName];
}
