/**
 * The patient's discharge settlement on the phone (issue 16 item 3): fees → shares and checks → result (refund)
 * → guidance. The page holds only its session token (from the hospital's app); the stay is the session's.
 */
import { useEffect, useMemo, useState } from 'react';
import { LiveSettlement, phoneApi, Stay, type PageError, type Settlement } from './api';
import { FeesStep } from './FeesStep';
import { GuidanceStep } from './GuidanceStep';
import { Loading, Notice } from './parts';
import { ResultStep } from './ResultStep';
import { asPageError, SettleStep } from './SettleStep';
import { rememberedSettlement } from './session';

type Step =
  { kind: 'fees' } | { kind: 'settle' } | { kind: 'result'; id: string; first: Settlement | null } | { kind: 'guidance'; id: string };

export function PhoneApp({ token }: { token: string | null }) {
  const api = useMemo(() => (token ? phoneApi(token) : null), [token]);
  const [stay, setStay] = useState<Stay | PageError | null>(null);
  const [step, setStep] = useState<Step>(() => {
    const id = rememberedSettlement.get();
    return id ? { kind: 'result', id, first: null } : { kind: 'fees' };
  });

  useEffect(() => {
    if (!api) return;
    let live = true;
    // A stay already being paid or paid (this phone's other tab, another phone) opens on its result.
    Promise.all([api.get('stay', Stay), api.get('settlement', LiveSettlement)]).then(
      ([s, { settlement }]) => {
        if (!live) return;
        if (settlement && settlement.state !== 'failed') {
          rememberedSettlement.set(settlement.settlementId);
          setStep({ kind: 'result', id: settlement.settlementId, first: settlement });
        }
        setStay(s);
      },
      (e: unknown) => live && setStay(asPageError(e)),
    );
    return () => {
      live = false;
    };
  }, [api]);

  const header = (
    <header className="ph-header">
      <h1>出院结算</h1>
      {stay && !(stay instanceof Error) ? (
        <div className="ph-patient" data-testid="patient">
          {stay.patientName} · {stay.dept}
        </div>
      ) : null}
    </header>
  );
  if (!api)
    return (
      <div className="ph-app">
        {header}
        <main className="ph-main">
          <Notice tone="error" title="页面已失效">
            请从医院公众号或支付宝生活号的“出院结算”重新进入。
          </Notice>
        </main>
      </div>
    );
  let body;
  if (stay === null)
    body = (
      <main className="ph-main">
        <Loading what="读取住院费用" />
      </main>
    );
  else if (stay instanceof Error)
    body = (
      <main className="ph-main">
        <Notice tone="error" title="读取住院信息失败" testId="load-error">
          {stay.message}
        </Notice>
      </main>
    );
  else if (step.kind === 'fees') body = <FeesStep stay={stay} onNext={() => setStep({ kind: 'settle' })} />;
  else if (step.kind === 'settle')
    body = (
      <SettleStep
        api={api}
        dischargeOrdered={stay.dischargeOrdered}
        onBack={() => setStep({ kind: 'fees' })}
        onSettled={(s) => {
          rememberedSettlement.set(s.settlementId);
          setStep({ kind: 'result', id: s.settlementId, first: s });
        }}
      />
    );
  else if (step.kind === 'result')
    body = (
      <ResultStep
        key={step.id}
        api={api}
        settlementId={step.id}
        first={step.first}
        onGuidance={() => setStep({ kind: 'guidance', id: step.id })}
        onRetry={() => setStep({ kind: 'settle' })}
      />
    );
  else body = <GuidanceStep api={api} onBack={() => setStep({ kind: 'result', id: step.id, first: null })} />;
  return (
    <div className="ph-app">
      {header}
      {body}
    </div>
  );
}
