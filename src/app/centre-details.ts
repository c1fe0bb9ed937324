/**
 * The after-restore check's view of the centre: one 3202 round (9101 upload of the station's lines, 3202,
 * 9102 download of the result) per clearing region, through the gateway's journal like every NHSA call.
 */
import type { DetailLine } from '../insurance/nhsa';
import type { NhsaGateway } from '../station/insurance/nhsa-gateway';
import type { CentreDetailsPort } from '../station/backup';
import { DETAIL_RESULTS, detailRound } from '../station/reconciliation';
import type { OperatorView } from '../shared/domain';
import { fen } from '../shared/money';

/** 3202 needs a file with at least one line; a region the restored database never settled gets this one. */
const NO_LOCAL_SETTLEMENT = 'NONE';

export function centreDetailsViaGateway(gateway: NhsaGateway, operator: OperatorView): CentreDetailsPort {
  return {
    async compare({ region, fromDay, toDay, lines }) {
      const detail: DetailLine[] = lines.map((l) => ({
        setl_id: l.setlId,
        mdtrt_id: l.mdtrtId,
        psn_no: l.psnNo,
        medfee_sumamt: fen(l.totalFen),
        fund_pay_sumamt: fen(l.fundFen),
        acct_pay: fen(l.accountFen),
        refd_setl_flag: '0',
      }));
      const rows = await detailRound(
        gateway,
        operator,
        {
          setl_optins: region,
          stmt_begndate: fromDay,
          stmt_enddate: toDay,
          clr_type: '11',
          refd_setl_flag: '0',
          medfee_sumamt: fen(lines.reduce((s, l) => s + l.totalFen, 0)),
          fund_pay_sumamt: fen(lines.reduce((s, l) => s + l.fundFen, 0)),
          cash_payamt: fen(lines.reduce((s, l) => s + l.totalFen - l.fundFen - l.accountFen, 0)),
          fixmedins_setl_cnt: lines.length,
        },
        detail.length > 0
          ? detail
          : [
              {
                setl_id: NO_LOCAL_SETTLEMENT,
                mdtrt_id: NO_LOCAL_SETTLEMENT,
                psn_no: NO_LOCAL_SETTLEMENT,
                medfee_sumamt: fen(0),
                fund_pay_sumamt: fen(0),
                acct_pay: fen(0),
                refd_setl_flag: '0',
              },
            ],
        `restore-check-${region}`,
      );
      return rows.map((r) => ({
        setlId: r.setl_id,
        mdtrtId: r.mdtrt_id,
        psnNo: r.psn_no,
        centreOnly: r.stmt_rslt === DETAIL_RESULTS.centreOnly,
        refund: r.refd_setl_flag === '1',
        medfeeFen: r.medfee_sumamt,
      }));
    },
  };
}
