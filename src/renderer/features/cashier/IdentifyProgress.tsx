import { Spin } from 'antd';
import type { IdentifyMethod } from './use-identify';

const METHOD_LABELS: Record<IdentifyMethod, string> = {
  scan: '医保电子凭证',
  card: '社会保障卡',
  face: '刷脸核验（请患者看向刷脸终端）',
  'idcard-reader': '居民身份证（读卡器）',
  idcard: '居民身份证号',
};

export function IdentifyProgress({ method }: { method: IdentifyMethod }) {
  return (
    <div className="identify-progress" data-testid="identify-progress" role="status">
      <Spin />
      <p className="identify-progress__title">正在读取参保信息…</p>
      <p className="identify-progress__method">识别方式：{METHOD_LABELS[method]}</p>
    </div>
  );
}
