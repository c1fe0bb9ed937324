import { Tag } from 'antd';

/** In the header of every signed-in screen in training mode, so nobody mistakes practice for a real settlement. */
export function TrainingBadge() {
  return (
    <Tag color="orange" className="training-badge" data-testid="training-banner" role="note" title="连接模拟医保中心，不产生真实费用">
      培训模式 · 不产生真实费用
    </Tag>
  );
}
