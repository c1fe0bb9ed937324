import { useRef, useState } from 'react';
import { useHotkey } from '../../common/use-hotkey';
import { Button, Kbd, Panel } from '../../ui';
import { IdCardForm } from './IdCardForm';
import { IdentifyProblemNotice } from './IdentifyProblemNotice';
import { IdentifyProgress } from './IdentifyProgress';
import { KeyboardHints } from './KeyboardHints';
import { OrdersPanel } from './OrdersPanel';
import { PatientCard } from './PatientCard';
import { ScanPrompt } from './ScanPrompt';
import { useIdentify, type IdentifyStage } from './use-identify';

/** The first step at every patient-facing station: who is this, and what insurance do they hold. */
export function IdentifyScreen() {
  const { stage, problem, identifyByIdCard, identifyByCard, identifyByFace, clear } = useIdentify();
  const [certNo, setCertNo] = useState('');
  const certNoRef = useRef<HTMLInputElement>(null);

  useHotkey('F2', () => certNoRef.current?.focus());
  useHotkey('F3', () => void identifyByCard());
  useHotkey('F6', () => void identifyByFace());
  useHotkey('Escape', () => {
    clear();
    setCertNo('');
    certNoRef.current?.blur();
  });

  async function submitCertNo() {
    // The number is cleared once it has found the patient, so it does not linger on screen.
    if (await identifyByIdCard(certNo)) setCertNo('');
  }

  return (
    <div className="identify">
      <section className="identify__stage">
        {problem && <IdentifyProblemNotice problem={problem} />}
        <Stage stage={stage} />
      </section>
      <aside className="identify__side">
        <Panel title="社保卡 / 刷脸">
          <div className="identify__devices">
            <Button variant="primary" size="lg" className="read-card" data-testid="read-card" onClick={() => void identifyByCard()}>
              读社保卡 <Kbd>F3</Kbd>
            </Button>
            <Button size="lg" className="read-card" data-testid="face-verify" onClick={() => void identifyByFace()}>
              刷脸核验 <Kbd>F6</Kbd>
            </Button>
          </div>
        </Panel>
        <Panel title="手工识别">
          <IdCardForm ref={certNoRef} value={certNo} onChange={setCertNo} onSubmit={() => void submitCertNo()} />
        </Panel>
        <Panel title="快捷键">
          <KeyboardHints />
        </Panel>
      </aside>
    </div>
  );
}

function Stage({ stage }: { stage: IdentifyStage }) {
  switch (stage.kind) {
    case 'waiting':
      return <ScanPrompt />;
    case 'identifying':
      return <IdentifyProgress method={stage.method} />;
    case 'identified':
      return (
        <>
          <PatientCard patient={stage.patient} />
          <OrdersPanel identificationId={stage.patient.identificationId} />
        </>
      );
  }
}
