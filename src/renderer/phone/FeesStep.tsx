/** HM-02: the stay and its pending fees, by day, each day's items and subtotal. */
import { useMemo } from 'react';
import type { Stay } from './api';
import { ActionBar, Money, Notice, Row } from './parts';

export function FeesStep({ stay, onNext }: { stay: Stay; onNext: () => void }) {
  const days = useMemo(() => {
    const byDay = new Map<string, Stay['lines']>();
    for (const l of stay.lines) byDay.set(l.day, [...(byDay.get(l.day) ?? []), l]);
    return [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [stay.lines]);
  return (
    <>
      <main className="ph-main" data-testid="fees">
        <section className="ph-card">
          <Row label="住院号">{stay.iptNo}</Row>
          <Row label="病区床位">
            {stay.ward} {stay.bedNo} 床
          </Row>
          <Row label="科室">{stay.dept}</Row>
          <Row label="预交金余额">
            <Money fen={stay.depositBalanceFen} />
          </Row>
          <Row label="待结算费用" strong>
            <Money fen={stay.pendingFen} testId="pending-total" />
          </Row>
        </section>
        {!stay.admittedAtCentre ? (
          <Notice tone="warn" title="尚未办理医保入院登记">
            请联系护士站办理后再结算。
          </Notice>
        ) : !stay.dischargeOrdered ? (
          <Notice tone="info" title="医生尚未开具出院医嘱">
            可先查看医保预结算金额；开具出院医嘱后方可结算。
          </Notice>
        ) : null}
        {days.length === 0 ? <Notice tone="info" title="暂无待结算费用" /> : null}
        {days.map(([day, lines]) => (
          <section className="ph-card" key={day} data-testid="fee-day">
            <div className="ph-day-head">
              <span>{day}</span>
              <Money fen={lines.reduce((s, l) => s + l.amountFen, 0)} />
            </div>
            <ul className="ph-lines">
              {lines.map((l) => (
                <li key={l.lineNo} className="ph-line">
                  <div className="ph-line-name">
                    {l.name}
                    {l.spec ? <span className="ph-muted"> {l.spec}</span> : null}
                  </div>
                  <div className="ph-line-amounts">
                    <span className="ph-muted">
                      {l.quantity}
                      {l.unit} × <Money fen={l.unitPriceFen} />
                    </span>
                    <Money fen={l.amountFen} />
                  </div>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </main>
      <ActionBar>
        <button type="button" className="ph-primary" onClick={onNext} disabled={!stay.admittedAtCentre || stay.lines.length === 0}>
          查看医保预结算
        </button>
      </ActionBar>
    </>
  );
}
