import { IdentifyProblemNotice } from './IdentifyProblemNotice';
import { IdentifyProgress } from './IdentifyProgress';
import { IdentifyStrip } from './IdentifyStrip';
import { KeyBar } from './KeyBar';
import { OrdersPanel } from './OrdersPanel';
import { PatientBar } from './PatientBar';
import { ScanPrompt } from './ScanPrompt';
import { deskKeys } from './key-map';
import { useIdentifyDesk, type IdentifyDesk } from './use-identify-desk';
import type { ReactNode } from 'react';

interface IdentifyScreenProps {
  /** whether this operator may undo an insurance settlement (撤销医保结算): the cashier, not the nurse */
  canCancelSettlement?: boolean;
  /** beside the scan prompt while nobody is identified: today's settlements, for a reprint */
  aside?: ReactNode;
}

/**
 * The cashier window at 1366×696 without page scroll: the patient bar (or the identification strip), the fee
 * list and the settle panel side by side, the key bar; the status bar below belongs to the layout.
 */
export function IdentifyScreen({ canCancelSettlement = true, aside }: IdentifyScreenProps) {
  const desk = useIdentifyDesk();
  const idle = aside ? (
    <div className="desk__idle-split">
      {aside}
      <ScanPrompt />
    </div>
  ) : (
    <ScanPrompt />
  );
  return (
    <div className="desk" data-testid="cashier-desk">
      <DeskStage desk={desk} canCancelSettlement={canCancelSettlement} layout="side" idle={idle} />
    </div>
  );
}

interface DeskStageProps {
  desk: IdentifyDesk;
  canCancelSettlement: boolean;
  layout: 'side' | 'stacked';
  /** what the work area shows while nobody is identified */
  idle: ReactNode;
}

/**
 * Patient bar, work area and key bar of every patient-facing screen. The work area is keyed by the patient, so
 * each new patient starts with the fee list at its top.
 */
export function DeskStage({ desk, canCancelSettlement, layout, idle }: DeskStageProps) {
  const { stage } = desk;
  const idleKeys = deskKeys({
    identified: false,
    order: undefined,
    hasCompleted: false,
    busy: false,
    canCancelSettlement,
    hasTill: canCancelSettlement,
  });
  return (
    <>
      {stage.kind === 'identified' ? <PatientBar patient={stage.patient} /> : <IdentifyStrip desk={desk} />}
      {desk.problem && <IdentifyProblemNotice problem={desk.problem} />}
      {stage.kind === 'identified' ? (
        <OrdersPanel
          key={stage.patient.identificationId}
          identificationId={stage.patient.identificationId}
          canCancelSettlement={canCancelSettlement}
          layout={layout}
          onClear={desk.clearForNext}
        />
      ) : (
        <>
          <div className="desk__idle">{stage.kind === 'identifying' ? <IdentifyProgress method={stage.method} /> : idle}</div>
          <KeyBar keys={idleKeys} />
        </>
      )}
    </>
  );
}
