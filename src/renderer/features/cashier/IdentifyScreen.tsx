import { Button, Kbd, Panel } from '../../ui';
import { IdCardForm } from './IdCardForm';
import { IdentifyProblemNotice } from './IdentifyProblemNotice';
import { IdentifyProgress } from './IdentifyProgress';
import { KeyboardHints } from './KeyboardHints';
import { OrdersPanel } from './OrdersPanel';
import { PatientCard } from './PatientCard';
import { ScanPrompt } from './ScanPrompt';
import { useIdentifyDesk, type IdentifyDesk } from './use-identify-desk';
import type { IdentifyStage } from './use-identify';

interface IdentifyScreenProps {
  /** whether this operator may undo an insurance settlement (撤销医保结算): the cashier, not the nurse */
  canCancelSettlement?: boolean;
}

/** The first step at every patient-facing station: who is this, and what insurance do they hold. */
export function IdentifyScreen({ canCancelSettlement = true }: IdentifyScreenProps) {
  const desk = useIdentifyDesk();
  return (
    <div className="identify">
      <section className="identify__stage">
        <IdentifyStagePane desk={desk} canCancelSettlement={canCancelSettlement} />
      </section>
      <aside className="identify__side">
        <IdentifyControls desk={desk} />
        <Panel title="快捷键">
          <KeyboardHints />
        </Panel>
      </aside>
    </div>
  );
}

/** The patient on screen (or the prompt to show a voucher), with their orders once identified. */
export function IdentifyStagePane({ desk, canCancelSettlement }: { desk: IdentifyDesk; canCancelSettlement: boolean }) {
  return (
    <>
      {desk.problem && <IdentifyProblemNotice problem={desk.problem} />}
      <Stage stage={desk.stage} canCancelSettlement={canCancelSettlement} />
    </>
  );
}

/** The card reader, face terminal and ID-number fallback. */
export function IdentifyControls({ desk }: { desk: IdentifyDesk }) {
  return (
    <>
      <Panel title="社保卡 / 刷脸">
        <div className="identify__devices">
          <Button variant="primary" size="lg" className="read-card" data-testid="read-card" onClick={() => void desk.identifyByCard()}>
            读社保卡 <Kbd>F3</Kbd>
          </Button>
          <Button size="lg" className="read-card" data-testid="face-verify" onClick={() => void desk.identifyByFace()}>
            刷脸核验 <Kbd>F6</Kbd>
          </Button>
        </div>
      </Panel>
      <Panel title="手工识别">
        <IdCardForm ref={desk.certNoRef} value={desk.certNo} onChange={desk.setCertNo} onSubmit={() => void desk.submitCertNo()} />
      </Panel>
    </>
  );
}

function Stage({ stage, canCancelSettlement }: { stage: IdentifyStage; canCancelSettlement: boolean }) {
  switch (stage.kind) {
    case 'waiting':
      return <ScanPrompt />;
    case 'identifying':
      return <IdentifyProgress method={stage.method} />;
    case 'identified':
      return (
        <>
          <PatientCard patient={stage.patient} />
          <OrdersPanel identificationId={stage.patient.identificationId} canCancelSettlement={canCancelSettlement} />
        </>
      );
  }
}
