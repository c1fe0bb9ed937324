import { describe, expect, it } from 'vitest';
import { parseResponseEnvelope } from './envelope';

describe('parseResponseEnvelope', () => {
  it.each([
    [0, 0],
    ['0', 0],
    [' -1 ', -1],
    [-1, -1],
    ['1001', 1001],
  ])('reads infcode %j as %i', (infcode, expected) => {
    const parsed = parseResponseEnvelope(JSON.stringify({ infcode }));
    expect(parsed.ok && parsed.envelope.infcode).toBe(expected);
  });

  it('turns null or absent texts into "" and keeps the output as sent', () => {
    const parsed = parseResponseEnvelope(JSON.stringify({ infcode: 0, err_msg: null, warn_msg: 5, output: { a: 1 } }));
    expect(parsed).toEqual({
      ok: true,
      envelope: {
        infcode: 0,
        inf_refmsgid: '',
        refmsg_time: '',
        respond_time: '',
        err_msg: '',
        warn_msg: '5',
        cainfo: '',
        signtype: '',
        output: { a: 1 },
      },
    });
  });

  it.each(['', '<html>502</html>', '{"infcode":', '[]', '{}', '{"infcode":"zero"}', '{"infcode":0.5}', '{"infcode":null}'])(
    'refuses %j',
    (body) => {
      expect(parseResponseEnvelope(body).ok).toBe(false);
    },
  );

  it('does not echo the body in its error detail (it may hold personal data)', () => {
    const parsed = parseResponseEnvelope('{"psn_name":"陈建国"');
    expect(parsed.ok).toBe(false);
    expect(JSON.stringify(parsed)).not.toContain('陈建国');
  });
});
