import { useState } from 'react';
import { Button, Form, Input, Radio, Tag, type TableColumnsType } from 'antd';
import { INTENT_STATE_LABELS, type IntentView } from '../../../shared/domain';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { formatDateTime } from '../../common/format';
import { QueryResult } from '../../common/QueryResult';
import { ScrollTable } from '../../common/ScrollTable';
import { useStation, useStationEvent } from '../../common/station-context';
import { TONE_COLORS, type Tone } from '../../common/tone';
import { useStationQuery } from '../../common/use-station-query';
import { SectionBar } from './SectionBar';

const STATE_TONES: Record<IntentView['state'], Tone> = {
  prepared: 'warn',
  unknown: 'warn',
  compensating: 'warn',
  escalated: 'danger',
  succeeded: 'ok',
  failed: 'neutral',
  compensated: 'neutral',
};

const DECISIONS = [
  { value: 'resume', label: '恢复自动核实' },
  { value: 'happened', label: '对方已成功处理' },
  { value: 'did-not-happen', label: '对方无此交易' },
] as const;

type Decision = (typeof DECISIONS)[number]['value'];

/**
 * The admin queue of money movements in doubt (AQ-05, issue 5): what the station is resolving by itself, and
 * what waits for a person. A decision needs a note saying how it was checked; both are recorded.
 */
export function IntentQueue() {
  const intents = useStationQuery((api) => api.listIntents({ scope: 'open', limit: 200 }));
  useStationEvent('outboxAlarm', () => intents.reload());
  const [deciding, setDeciding] = useState<IntentView | null>(null);

  const columns: TableColumnsType<IntentView> = [
    { title: '发起时间', key: 'at', render: (_, i) => formatDateTime(i.createdAt), width: 160 },
    { title: '交易', key: 'kind', render: (_, i) => i.kindLabel, width: 180 },
    { title: '订单', key: 'order', render: (_, i) => <span className="code">{i.orderId}</span>, width: 140 },
    { title: '报文/订单号', key: 'external', render: (_, i) => <span className="code">{i.externalId}</span>, width: 250, ellipsis: true },
    {
      title: '状态',
      key: 'state',
      render: (_, i) => <Tag color={TONE_COLORS[STATE_TONES[i.state]]}>{INTENT_STATE_LABELS[i.state]}</Tag>,
      width: 120,
    },
    { title: '说明', key: 'detail', render: (_, i) => i.detail || '—', ellipsis: true },
    {
      title: '',
      key: 'act',
      width: 100,
      render: (_, i) =>
        i.state === 'escalated' ? (
          <Button size="small" type="primary" data-testid={`intent-decide-${i.id}`} onClick={() => setDeciding(i)}>
            人工处理
          </Button>
        ) : (
          <RetryButton intent={i} onDone={intents.reload} />
        ),
    },
  ];

  return (
    <>
      <SectionBar note="结果未知的资金交易：工作站自动核实；无法自动核实的须人工核实后处理">
        <Button data-testid="intents-refresh" onClick={intents.reload}>
          刷新
        </Button>
      </SectionBar>
      {deciding && <DecisionForm intent={deciding} onClose={() => (setDeciding(null), intents.reload())} />}
      <QueryResult query={intents} errorTestId="intents-error">
        {(rows) => (
          <ScrollTable data-testid="intents-table" columns={columns} rows={rows} rowKey={(i) => i.id} empty="没有结果未知的交易" />
        )}
      </QueryResult>
    </>
  );
}

function RetryButton({ intent, onDone }: { intent: IntentView; onDone: () => void }) {
  const api = useStation();
  const [busy, setBusy] = useState(false);
  if (intent.state !== 'unknown' && intent.state !== 'compensating') return null;
  return (
    <Button
      size="small"
      loading={busy}
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
  const [decision, setDecision] = useState<Decision>('resume');
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
      <h3 className="intent-decision__title">
        人工处理：{intent.kindLabel} <span className="code">{intent.externalId}</span>
      </h3>
      <Form layout="vertical" component={false}>
        <Form.Item label="经核实（医保中心/支付平台后台）" className="field">
          <Radio.Group value={decision} onChange={(e) => setDecision(e.target.value as Decision)} options={[...DECISIONS]} />
        </Form.Item>
        <Form.Item label="核实依据" className="field" extra="至少 4 个字，说明在哪里、如何核实">
          <Input value={note} onChange={(e) => setNote(e.target.value)} required minLength={4} autoFocus />
        </Form.Item>
      </Form>
      {error && <ErrorNotice error={error} testId="intent-decision-error" />}
      <div className="intent-decision__actions">
        <Button type="primary" htmlType="submit" loading={busy}>
          确认
        </Button>
        <Button onClick={onClose}>取消</Button>
      </div>
    </form>
  );
}
