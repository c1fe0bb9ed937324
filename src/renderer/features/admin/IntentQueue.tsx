import { useState } from 'react';
import { INTENT_STATE_LABELS, type IntentView } from '../../../shared/domain';
import { formatDateTime } from '../../common/format';
import { ErrorNotice } from '../../common/ErrorNotice';
import { QueryResult } from '../../common/QueryResult';
import { useStation, useStationEvent } from '../../common/station-context';
import { useStationQuery } from '../../common/use-station-query';
import type { ApiError } from '../../../shared/result';
import { Button, DataTable, Panel, Tag, TextField, type Column, type Tone } from '../../ui';

const STATE_TONES: Record<IntentView['state'], Tone> = {
  prepared: 'warn',
  unknown: 'warn',
  compensating: 'warn',
  escalated: 'danger',
  succeeded: 'ok',
  failed: 'neutral',
  compensated: 'neutral',
};

/**
 * The admin queue of money movements in doubt (AQ-05, issue 5): what the station is resolving by itself, and
 * what waits for a person. A decision needs a note saying how it was checked; both are recorded.
 */
export function IntentQueue() {
  const intents = useStationQuery((api) => api.listIntents({ scope: 'open', limit: 200 }));
  useStationEvent('outboxAlarm', () => intents.reload());
  const [deciding, setDeciding] = useState<IntentView | null>(null);

  const columns: readonly Column<IntentView>[] = [
    { header: '发起时间', cell: (i) => formatDateTime(i.createdAt), width: '170px' },
    { header: '交易', cell: (i) => i.kindLabel, width: '190px' },
    { header: '订单', cell: (i) => <span className="code">{i.orderId}</span>, width: '150px' },
    { header: '报文/订单号', cell: (i) => <span className="code">{i.externalId}</span>, width: '260px' },
    { header: '状态', cell: (i) => <Tag tone={STATE_TONES[i.state]}>{INTENT_STATE_LABELS[i.state]}</Tag>, width: '150px' },
    { header: '说明', cell: (i) => i.detail || '—' },
    {
      header: '',
      width: '120px',
      cell: (i) =>
        i.state === 'escalated' ? (
          <Button variant="primary" data-testid={`intent-decide-${i.id}`} onClick={() => setDeciding(i)}>
            人工处理
          </Button>
        ) : (
          <RetryButton intent={i} onDone={intents.reload} />
        ),
    },
  ];

  return (
    <Panel
      className="admin-panel"
      actions={
        <Button data-testid="intents-refresh" onClick={intents.reload}>
          刷新
        </Button>
      }
    >
      {deciding && <DecisionForm intent={deciding} onClose={() => (setDeciding(null), intents.reload())} />}
      <QueryResult query={intents} errorTestId="intents-error">
        {(rows) => (
          <DataTable
            caption="待核实交易"
            data-testid="intents-table"
            columns={columns}
            rows={rows}
            rowKey={(i) => i.id}
            empty="没有结果未知的交易"
          />
        )}
      </QueryResult>
    </Panel>
  );
}

function RetryButton({ intent, onDone }: { intent: IntentView; onDone: () => void }) {
  const api = useStation();
  const [busy, setBusy] = useState(false);
  if (intent.state !== 'unknown' && intent.state !== 'compensating') return null;
  return (
    <Button
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void api.retryIntent({ intentId: intent.id }).finally(() => {
          setBusy(false);
          onDone();
        });
      }}
    >
      立即核实
    </Button>
  );
}

function DecisionForm({ intent, onClose }: { intent: IntentView; onClose: () => void }) {
  const api = useStation();
  const [decision, setDecision] = useState<'happened' | 'did-not-happen' | 'resume'>('resume');
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="intent-decision"
      data-testid="intent-decision"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        void api.decideIntent({ intentId: intent.id, decision, note }).then((r) => {
          setBusy(false);
          if (r.ok) onClose();
          else setError(r.error);
        });
      }}
    >
      <h3>
        人工处理：{intent.kindLabel} <span className="code">{intent.externalId}</span>
      </h3>
      <fieldset className="intent-decision__choices">
        <legend>经核实（医保中心/支付平台后台）：</legend>
        {(
          [
            ['resume', '恢复自动核实'],
            ['happened', '对方已成功处理'],
            ['did-not-happen', '对方无此交易'],
          ] as const
        ).map(([value, label]) => (
          <label key={value}>
            <input type="radio" name="decision" value={value} checked={decision === value} onChange={() => setDecision(value)} />
            {label}
          </label>
        ))}
      </fieldset>
      <TextField label="核实依据" value={note} onChange={(e) => setNote(e.target.value)} required minLength={4} autoFocus />
      {error && <ErrorNotice error={error} testId="intent-decision-error" />}
      <div className="intent-decision__actions">
        <Button type="submit" variant="primary" disabled={busy}>
          确认
        </Button>
        <Button onClick={onClose}>取消</Button>
      </div>
    </form>
  );
}
