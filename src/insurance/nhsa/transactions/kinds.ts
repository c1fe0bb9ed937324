/**
 * What each transaction does at the centre, for the outbox (issue 5) to decide how an unknown outcome is resolved:
 *
 *   read-only       changes nothing the centre settles on; after an unknown outcome it is simply asked again
 *                   (with a new msgid).
 *   state-changing  registers, uploads, settles or cancels something; never sent blind a second time with a new
 *                   msgid. After an unknown outcome it is resolved by a query, by its own cancel (`undoneBy`) or
 *                   by a 2601 reversal naming its msgid — when the province allows reversing it.
 *
 * Which transactions 2601 may reverse is provincial and not published in one place (protocol-research §1.5,
 * open question 1), so it is configuration: `NhsaConfig.reversibleInfnos`, defaulting to the list below.
 */
export type TransactionKind = 'read-only' | 'state-changing';

export interface TransactionInfo {
  name: string;
  kind: TransactionKind;
  /** The transaction's own cancel(s), for state-changing ones that have one. */
  undoneBy?: readonly string[];
}

const readOnly = (name: string): TransactionInfo => ({ name, kind: 'read-only' });
const stateChanging = (name: string, undoneBy?: readonly string[]): TransactionInfo =>
  undoneBy ? { name, kind: 'state-changing', undoneBy } : { name, kind: 'state-changing' };

const CATALOGUES: Record<string, string> = {
  '1301': '西药中成药目录下载',
  '1302': '中药饮片目录下载',
  '1303': '医疗机构制剂目录下载',
  '1304': '民族药品目录查询',
  '1305': '医疗服务项目目录下载',
  '1306': '医用耗材目录下载',
  '1307': '疾病与诊断目录下载',
  '1308': '手术操作目录下载',
  '1309': '门诊慢特病种目录下载',
  '1310': '按病种付费病种目录下载',
  '1311': '日间手术治疗病种目录下载',
  '1312': '医保目录信息查询',
  '1313': '肿瘤形态学目录下载',
  '1314': '中医疾病目录下载',
  '1315': '中医证候目录下载',
  '1316': '医疗目录与医保目录匹配信息查询',
  '1317': '医药机构目录匹配信息查询',
  '1318': '医保目录限价信息查询',
  '1319': '医保目录先自付比例信息查询',
  '1320': '中药配方颗粒目录下载',
  '1321': '医疗服务项目（新）目录下载',
};

export const TRANSACTION_KINDS: Readonly<Record<string, TransactionInfo>> = {
  '1101': readOnly('人员信息获取'),
  '1201': readOnly('医药机构信息获取'),
  ...Object.fromEntries(Object.entries(CATALOGUES).map(([infno, name]) => [infno, readOnly(name)])),
  '1901': readOnly('字典表查询'),
  '2001': readOnly('人员待遇享受检查'),
  '2201': stateChanging('门诊挂号', ['2202']),
  '2202': stateChanging('门诊挂号撤销'),
  '2203': stateChanging('门诊就诊信息上传'),
  '2204': stateChanging('门诊费用明细上传', ['2205']),
  '2205': stateChanging('门诊费用明细撤销'),
  // A pre-settlement computes the split and books nothing.
  '2206': readOnly('门诊预结算'),
  '2207': stateChanging('门诊结算', ['2208']),
  '2208': stateChanging('门诊结算撤销'),
  '2301': stateChanging('住院费用明细上传', ['2302']),
  '2302': stateChanging('住院费用明细撤销'),
  '2303': readOnly('住院预结算'),
  '2304': stateChanging('住院结算', ['2305']),
  '2305': stateChanging('住院结算撤销'),
  '2401': stateChanging('入院办理', ['2404']),
  '2402': stateChanging('出院办理', ['2405']),
  '2403': stateChanging('住院信息变更'),
  '2404': stateChanging('入院办理撤销'),
  '2405': stateChanging('出院办理撤销'),
  '2601': stateChanging('冲正交易'),
  '3201': readOnly('医药机构费用结算对总账'),
  // Produces a result file at the centre but changes no settlement: asking again is harmless.
  '3202': readOnly('医药机构费用结算对明细账'),
  '3260': readOnly('提取异地清分明细'),
  // A confirmation stands until 3262 rolls it back; the centre refuses a second one for the month.
  '3261': stateChanging('异地清分结果确认', ['3262']),
  '3262': stateChanging('异地清分结果确认回退'),
  '5201': readOnly('就诊信息查询'),
  '5202': readOnly('诊断信息查询'),
  '5203': readOnly('结算信息查询'),
  '5204': readOnly('费用明细查询'),
  '5205': readOnly('人员慢特病用药记录查询'),
  '9001': stateChanging('签到'),
  '9002': stateChanging('签退'),
  // Stores a file under a new file_qury_no and no business state: repeating it only stores another copy.
  '9101': readOnly('文件上传'),
  '9102': readOnly('文件下载'),
};

/**
 * What the national specification lets 2601 reverse (shared/domain/nhsa.md): the settlements 2207/2304, their
 * cancels 2208/2305, and admission 2401. Registration 2201 and fee uploads are undone by their own cancels; a
 * province that reverses more says so in `NhsaConfig.reversibleInfnos`.
 */
export const DEFAULT_REVERSIBLE_INFNOS: readonly string[] = ['2207', '2208', '2304', '2305', '2401'];

export function transactionInfo(infno: string): TransactionInfo | undefined {
  return TRANSACTION_KINDS[infno];
}

export function isStateChanging(infno: string): boolean {
  return TRANSACTION_KINDS[infno]?.kind === 'state-changing';
}
