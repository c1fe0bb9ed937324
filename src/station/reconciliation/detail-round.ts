/**
 * One 3202 round through the gateway's journal, like every NHSA call: 9101 uploads the detail file, 3202 compares it
 * settlement by settlement, 9102 brings back the centre's result file. The result is small, so it is read into
 * memory (downloadFile's stream opens a file before its call, which the journal-before-send cannot see).
 */
import {
  buildDetailFile,
  parseDetailResult,
  reconcileDetails,
  uploadFile,
  type DetailLine,
  type DetailResult,
  type DetailsInput,
  type NhsaOutcome,
} from '../../insurance/nhsa';
import type { OperatorView } from '../../shared/domain';
import { StationError } from '../../shared/result';
import type { CentrePort } from '../ports';

/** The centre's 3202 result codes as the simulator answers them (the national code list is not public). */
export const DETAIL_RESULTS = { agree: '0', differ: '1', centreOnly: '2', hospitalOnly: '3' } as const;

const expectOk = <T>(outcome: NhsaOutcome<T>, what: string): T => {
  if (outcome.kind === 'ok') return outcome.output;
  const why = outcome.kind === 'rejected' ? outcome.errMsg || `错误码 ${outcome.infcode}` : outcome.detail;
  throw new StationError(outcome.kind === 'rejected' ? 'CENTRE_REJECTED' : 'CENTRE_UNREACHABLE', `${what}未成功：${why}`);
};

export async function detailRound(
  gateway: CentrePort,
  operator: OperatorView,
  input: Omit<DetailsInput, 'file_qury_no'>,
  lines: readonly DetailLine[],
  fileName: string,
): Promise<DetailResult[]> {
  const content = await buildDetailFile(lines, fileName);
  const uploaded = expectOk(
    await gateway.perform('9101', operator, (client, ctx) => uploadFile(client, ctx, { filename: `${fileName}.zip`, content })),
    '上传对账明细 (9101)',
  );
  const answered = expectOk(
    await gateway.perform('3202', operator, (client, ctx) =>
      reconcileDetails(client, ctx, { ...input, file_qury_no: uploaded.file_qury_no }),
    ),
    '对明细账 (3202)',
  );
  const chunks: Uint8Array[] = [];
  expectOk(
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
  return parseDetailResult(Buffer.concat(chunks));
}
