/**
 * The service's guards on their own: the signature recipe as an app's developer would write it with OpenSSL
 * (HMAC-SM3 over the documented canonical string), the geofence's distance and its uncertainty rule, and the
 * per-app token bucket on a fake clock.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { distanceMeters, insideGeofence } from './geofence';
import { RateLimiter } from './rate-limit';
import { signRequest } from './signing';

describe('the signature recipe', () => {
  it('is HMAC-SM3(secret, METHOD\\nPATH?QUERY\\nAPP_ID\\nTIMESTAMP\\nNONCE\\nSM3(BODY)), hex', () => {
    const secret = '0f'.repeat(32);
    const body = '{"reason":"费用有误"}';
    const canonical = [
      'POST',
      '/v1/x?a=1',
      'wx-oa-01',
      '1764849600000',
      'abcdef0123456789',
      createHash('sm3').update(body, 'utf8').digest('hex'),
    ].join('\n');
    const expected = createHmac('sm3', Buffer.from(secret, 'hex')).update(canonical, 'utf8').digest('hex');
    const parts = {
      method: 'post',
      pathAndQuery: '/v1/x?a=1',
      appId: 'wx-oa-01',
      timestamp: '1764849600000',
      nonce: 'abcdef0123456789',
      body,
    };
    expect(signRequest(secret, parts)).toBe(expected);
    expect(signRequest(secret, { ...parts, pathAndQuery: '/v1/x?a=2' })).not.toBe(expected);
  });
});

describe('the geofence', () => {
  const fence = { latitude: 24.4798, longitude: 118.0894, radiusMeters: 800 };

  it('measures great-circle distance (one degree of latitude ≈ 111.2 km)', () => {
    expect(distanceMeters({ latitude: 24, longitude: 118 }, { latitude: 25, longitude: 118 })).toBeCloseTo(111_195, -2);
  });

  it('counts a phone inside only when its whole uncertainty circle is', () => {
    const north = (m: number) => ({ latitude: fence.latitude + m / 111_195, longitude: fence.longitude });
    expect(insideGeofence(fence, { ...north(500), accuracyMeters: 100 })).toBe(true);
    expect(insideGeofence(fence, { ...north(500), accuracyMeters: 400 })).toBe(false);
    expect(insideGeofence(fence, { ...north(900), accuracyMeters: 0 })).toBe(false);
  });
});

describe('the rate limit', () => {
  it('allows the minute’s allowance, then says how long to wait, and refills with time', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(() => now);
    expect([limiter.take('a', 2), limiter.take('a', 2)]).toEqual([0, 0]);
    expect(limiter.take('a', 2)).toBe(30);
    expect(limiter.take('b', 2)).toBe(0);
    now += 30_000;
    expect(limiter.take('a', 2)).toBe(0);
    expect(limiter.take('a', 2)).toBe(30);
  });
});
