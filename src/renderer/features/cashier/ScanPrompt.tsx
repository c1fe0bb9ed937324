import type { LinkState } from '../../../shared/domain';
import { useConnectivity, useDevices } from '../devices';
import type { Tone } from '../../common/tone';
import { scannerReadiness, type ScannerReadiness } from './scanner-readiness';
import { VoucherIcon } from './VoucherIcon';

const SCANNER_LINES: Record<ScannerReadiness, { tone: Tone; text: string }> = {
  loading: { tone: 'neutral', text: '正在检查扫码墩…' },
  ready: { tone: 'ok', text: '扫码墩已就绪' },
  connecting: { tone: 'warn', text: '扫码墩正在连接…' },
  offline: { tone: 'danger', text: '扫码墩未连接，请检查设备连线；也可按 F2 输入身份证号' },
  missing: { tone: 'warn', text: '本工作站未配置扫码墩，请按 F2 输入身份证号' },
};

const CENTRE_LINES: Partial<Record<LinkState, string>> = {
  offline: '医保中心离线，暂时无法读取参保信息',
};

export function ScanPrompt() {
  const readiness = scannerReadiness(useDevices());
  const centre = useConnectivity()?.nhsa;
  const scanner = SCANNER_LINES[readiness];
  const centreLine = centre && CENTRE_LINES[centre];
  return (
    <div className="scan-prompt" data-testid="scan-prompt">
      <VoucherIcon />
      <p className="scan-prompt__title">请患者出示医保电子凭证</p>
      <p className="scan-prompt__subtitle">在微信或支付宝中打开「医保电子凭证」，将二维码对准扫码墩</p>
      <p className={`scan-prompt__status scan-prompt__status--${scanner.tone}`} data-testid="scanner-status" data-readiness={readiness}>
        {scanner.text}
      </p>
      {centreLine && <p className="scan-prompt__status scan-prompt__status--danger">{centreLine}</p>}
    </div>
  );
}
