import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, OPERATION_NAMES, subscriptionName } from '../shared/api';
import { CHANNEL_EVENTS, CHANNEL_OPERATIONS, eventChannel, operationChannel, subscriptionKey } from './channels';

describe('channels', () => {
  it('name exactly the operations and events of the contract', () => {
    expect([...CHANNEL_OPERATIONS].sort()).toEqual([...OPERATION_NAMES].sort());
    expect([...CHANNEL_EVENTS].sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('derive subscription keys by the contract rule', () => {
    for (const event of EVENT_NAMES) expect(subscriptionKey(event)).toBe(subscriptionName(event));
  });

  it('give every operation and event its own channel', () => {
    const channels = [...OPERATION_NAMES.map(operationChannel), ...EVENT_NAMES.map(eventChannel)];
    expect(new Set(channels).size).toBe(channels.length);
    expect(operationChannel('login')).toBe('station:login');
    expect(eventChannel('scan')).toBe('station:event:scan');
  });
});
