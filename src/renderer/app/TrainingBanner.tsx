/** Always on top in training mode, so nobody mistakes practice for a real settlement (or the reverse). */
export function TrainingBanner() {
  return (
    <div className="training-banner" data-testid="training-banner" role="note">
      培训模式 — 连接模拟医保中心，不产生真实费用
    </div>
  );
}
