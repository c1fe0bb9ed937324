/**
 * HM-05 and HM-06/11: the shares the centre priced, the security checks (face verification's result; the phone's
 * location), then 一键结算. The wallet asks for its own payment password; the page never sees it. A tap whose
 * answer is lost is sent again with the same Idempotency-Key, so it is paid once.
 */
import { useEffect, useRef, useState } from 'react';
import { newKey, PageError, Settlement, Shares, type PhoneApi } from './api';
import { ActionBar, Loading, Money, Notice, Row } from './parts';

type Location = { latitude: number; longitude: number; accuracyMeters: number };
type Face = { passed: boolean; certifyId: string; verifiedAt: string };

/** Answers that leave the payment's outcome open: ask again with the same key, never a new payment. */
const IN_DOUBT = new Set(['NETWORK', 'HTTP', 'OUTCOME_UNKNOWN', 'UPSTREAM_UNREACHABLE', 'IDEMPOTENCY_IN_PROGRESS', 'INTERNAL']);

export function SettleStep({
  api,
  dischargeOrdered,
  onSettled,
  onBack,
}: {
  api: PhoneApi;
  dischargeOrdered: boolean;
  onSettled: (s: Settlement) => void;
  onBack: () => void;
}) {
  const [shares, setShares] = useState<Shares | PageError | null>(null);
  const [face, setFace] = useState<Face | null>(null);
  const [location, setLocation] = useState<Location | string | null>(null);
  const [locating, setLocating] = useState(false);
  const [paying, setPaying] = useState(false);
  const [error, setError] = useState<PageError | null>(null);
  const attempt = useRef<string | null>(null);

  useEffect(() => {
    let live = true;
    api.post('pre-settlement', {}, Shares).then(
      (s) => live && setShares(s),
      (e: unknown) => live && setShares(asPageError(e)),
    );
    return () => {
      live = false;
    };
  }, [api]);

  const locate = () => {
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLocating(false);
        setLocation({ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracyMeters: Math.round(p.coords.accuracy) });
      },
      (e) => {
        setLocating(false);
        setLocation(
          e.code === e.PERMISSION_DENIED ? '未允许定位：请在浏览器设置中允许本页面获取位置' : '暂时无法获取位置，请到室外或窗边重试',
        );
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  // Training: the wallet's face verification is simulated; in the hospital's app its SDK returns this result.
  const verifyFace = () => setFace({ passed: true, certifyId: `FACE${newKey().slice(0, 16)}`, verifiedAt: new Date().toISOString() });

  const settle = async () => {
    if (!face || typeof location !== 'object' || location === null) return;
    attempt.current ??= newKey();
    setPaying(true);
    setError(null);
    try {
      const payAuthNo = `AUTH${attempt.current.slice(0, 20)}`;
      const s = await api.post('settlements', { payAuthNo, security: { face, location } }, Settlement, attempt.current);
      onSettled(s);
    } catch (e) {
      const pe = asPageError(e);
      if (!IN_DOUBT.has(pe.code)) attempt.current = null;
      setError(pe);
      setPaying(false);
    }
  };

  const located = typeof location === 'object' && location !== null;
  const inDoubt = error !== null && IN_DOUBT.has(error.code);
  return (
    <>
      <main className="ph-main" data-testid="shares">
        {shares === null ? <Loading what="向医保中心预结算" /> : null}
        {shares instanceof PageError ? (
          <Notice tone="error" title="预结算未完成">
            {shares.message}
          </Notice>
        ) : null}
        {shares && !(shares instanceof PageError) ? (
          <section className="ph-card">
            <Row label="医疗费用总额">
              <Money fen={shares.medfeeFen} testId="share-medfee" />
            </Row>
            <Row label="统筹基金支付">
              <Money fen={shares.fundFen} testId="share-fund" />
            </Row>
            <Row label="个人账户支付">
              <Money fen={shares.acctFen} testId="share-acct" />
            </Row>
            <Row label="个人自付（需支付）" strong>
              <Money fen={shares.cashFen} testId="share-cash" />
            </Row>
            {shares.discharge ? null : dischargeOrdered ? (
              <p className="ph-muted">结算时将先办理医保出院登记，金额以结算结果为准。</p>
            ) : (
              <p className="ph-muted">在院中途预结算，仅供参考；出院结算以出院时为准。</p>
            )}
          </section>
        ) : null}
        <section className="ph-card" aria-label="安全核验">
          <h2 className="ph-h2">安全核验</h2>
          <div className="ph-check">
            <span>人脸核验</span>
            {face ? (
              <span className="ph-ok" data-testid="face-result">
                已通过
              </span>
            ) : (
              <button type="button" className="ph-secondary" onClick={verifyFace}>
                开始人脸核验
              </button>
            )}
          </div>
          <div className="ph-check">
            <span>所在位置</span>
            {located ? (
              <span className="ph-ok" data-testid="location-result">
                已获取（精度约 {location.accuracyMeters} 米）
              </span>
            ) : (
              <button type="button" className="ph-secondary" onClick={locate} disabled={locating}>
                {locating ? '定位中…' : '获取位置'}
              </button>
            )}
          </div>
          {typeof location === 'string' ? <p className="ph-warn-text">{location}</p> : null}
          <p className="ph-muted">支付密码由微信/支付宝在支付时验证，本页面不会获取。</p>
        </section>
        {inDoubt ? (
          <Notice tone="warn" title="结算结果确认中" testId="in-doubt">
            {error.message}。请点“重新确认”，不会重复扣款。
          </Notice>
        ) : error ? (
          <Notice tone="error" title="结算未完成" testId="settle-error">
            {error.message}
          </Notice>
        ) : null}
        {!dischargeOrdered ? <Notice tone="info" title="医生开具出院医嘱后方可结算" /> : null}
      </main>
      <ActionBar>
        <button type="button" className="ph-secondary" onClick={onBack} disabled={paying}>
          返回费用
        </button>
        <button
          type="button"
          className="ph-primary"
          onClick={() => void settle()}
          disabled={paying || !face || !located || !dischargeOrdered || !shares || shares instanceof PageError}
        >
          {paying ? '结算中…' : inDoubt ? '重新确认' : '一键结算'}
        </button>
      </ActionBar>
    </>
  );
}

export function asPageError(e: unknown): PageError {
  return e instanceof PageError ? e : new PageError('页面出错，请刷新后重试', 'PAGE');
}
