import type { StayUndoView } from './inpatient';

/** One line for a discharge settlement's undo not yet finished, on the bedside's and the window's screens. */
export function stayUndoLine(u: StayUndoView): string {
  const asked = `（${u.operatorId}，原因：${u.reason}${u.backToWard ? '，并撤销出院' : ''}）`;
  return u.stopped === null
    ? `出院结算撤销进行中${asked}：核实后自动继续，完成前不能结算`
    : `出院结算撤销已停止，待人工处理：${u.stopped}${asked}。原因排除后在收费窗口再次撤销（Alt+Z）即从停止处继续`;
}
