/**
 * The after-restore check's view of the centre: one 3202 round (9101 upload of the station's lines, 3202,
 * 9102 download of the result) per clearing region, through the gateway's journal like every NHSA call.
 */
import { parseDetailResult, reconcileDetails, uploadFile, buildDetailFile, type DetailLine, type NhsaOutcome } from '../insurance/nhsa';
import type { NhsaGateway } from '../station/insurance/nhsa-gateway';
import type { CentreDetailsPort } from '../station/backup';
import type { OperatorView } from '../shared/domain';
import { fen } from '../shared/money';

/** The simulator's result code for "the institution has no such settlement" (the national code is not public). */
const CENTRE_ONLY = '2';
/** 3202 needs a file with at least one line; a region the restored database never settled gets this one. */
const NO_LOCAL_SETTLEMENT = 'NONE';

export function centreDetailsViaGateway(gateway: NhsaGateway, operator: OperatorView): CentreDetailsPort {
  const expect = <T>(outcome: NhsaOutcome<T>, what: string): T => {
    if (outcome.kind !== 'ok') throw new Error(`${what} 未成功：${outcome.kind === 'rejected' ? outcome.errMsg : outcome.detail}`);
    return outcome.output;
  };
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
      const file = await buildDetailFile(
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
      const uploaded = expect(
        await gateway.perform('9101', operator, (client, ctx) =>
          uploadFile(client, ctx, { filename: `restore-check-${region}.zip`, content: file }),
        ),
        '上传对账明细 (9101)',
      );
      const answered = expect(
        await gateway.perform('3202', operator, (client, ctx) =>
          reconcileDetails(client, ctx, {
            setl_optins: region,
            stmt_begndate: fromDay,
            stmt_enddate: toDay,
            clr_type: '11',
            refd_setl_flag: '0',
            file_qury_no: uploaded.file_qury_no,
            medfee_sumamt: fen(lines.reduce((s, l) => s + l.totalFen, 0)),
            fund_pay_sumamt: fen(lines.reduce((s, l) => s + l.fundFen, 0)),
            cash_payamt: fen(lines.reduce((s, l) => s + l.totalFen - l.fundFen - l.accountFen, 0)),
            fixmedins_setl_cnt: lines.length,
          }),
        ),
        '对明细账 (3202)',
      );
      // The result file is small: read into memory (downloadFile's stream opens a file before its call, which
      // the gateway's journal-before-send cannot see).
      const chunks: Uint8Array[] = [];
      expect(
        await gateway.perform('9102', operator, (client, ctx) =>
          client.callForFile(
            '9102',
            {
              fsDownloadIn: {
                file_qury_no: answered.file_qury_no,
                filename: answered.filename || 'result.zip',
                fixmedins_code: client.institution.code,
              },
            },
            ctx,
            async (chunk) => {
              chunks.push(chunk);
            },
          ),
        ),
        '下载对账结果 (9102)',
      );
      const rows = await parseDetailResult(Buffer.concat(chunks));
      return rows.map((r) => ({
        setlId: r.setl_id,
        mdtrtId: r.mdtrt_id,
        psnNo: r.psn_no,
        centreOnly: r.stmt_rslt === CENTRE_ONLY,
        refund: r.refd_setl_flag === '1',
        medfeeFen: r.medfee_sumamt,
      }));
    },
  };
}
