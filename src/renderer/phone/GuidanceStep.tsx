/** HM-12: what to take home, where to print, how to leave. */
import { useEffect, useState } from 'react';
import { Guidance, type PhoneApi } from './api';
import { ActionBar, Loading, Notice } from './parts';
import { asPageError } from './SettleStep';

export function GuidanceStep({ api, onBack }: { api: PhoneApi; onBack: () => void }) {
  const [g, setG] = useState<Guidance | string | null>(null);
  useEffect(() => {
    let live = true;
    api.get('discharge-guidance', Guidance).then(
      (v) => live && setG(v),
      (e: unknown) => live && setG(asPageError(e).message),
    );
    return () => {
      live = false;
    };
  }, [api]);
  return (
    <>
      <main className="ph-main" data-testid="guidance">
        {g === null ? <Loading what="读取出院指引" /> : null}
        {typeof g === 'string' ? (
          <Notice tone="error" title="出院指引暂时无法显示">
            {g}
          </Notice>
        ) : null}
        {g && typeof g === 'object' ? (
          <>
            <section className="ph-card">
              <h2 className="ph-h2">出院带药</h2>
              {g.drugs.length === 0 ? <p className="ph-muted">无出院带药</p> : null}
              <ul className="ph-lines">
                {g.drugs.map((d, i) => (
                  <li key={i} className="ph-line" data-testid="take-home-drug">
                    <div className="ph-line-name">
                      {d.name} <span className="ph-muted">{d.spec}</span>
                    </div>
                    <div className="ph-line-amounts">
                      <span>
                        {d.quantity}
                        {d.unit}
                      </span>
                    </div>
                  </li>
                ))}
              </ul>
            </section>
            <section className="ph-card">
              <h2 className="ph-h2">票据打印</h2>
              <p>{g.printing}</p>
            </section>
            <section className="ph-card">
              <h2 className="ph-h2">离院流程</h2>
              <ol className="ph-steps">
                {g.leaving.map((step, i) => (
                  <li key={i}>{step}</li>
                ))}
              </ol>
            </section>
          </>
        ) : null}
      </main>
      <ActionBar>
        <button type="button" className="ph-secondary" onClick={onBack}>
          返回结算结果
        </button>
      </ActionBar>
    </>
  );
}
