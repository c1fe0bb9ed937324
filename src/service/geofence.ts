/** HM-11: is the phone on the hospital's grounds? Great-circle distance (haversine) to the geofence's centre. */
const EARTH_RADIUS_M = 6_371_008.8;

export interface Point {
  latitude: number;
  longitude: number;
}

export function distanceMeters(a: Point, b: Point): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Inside only when the whole uncertainty circle is: a fix of ±2 km next to the gate proves nothing. */
export function insideGeofence(fence: Point & { radiusMeters: number }, at: Point & { accuracyMeters: number }): boolean {
  return distanceMeters(fence, at) + at.accuracyMeters <= fence.radiusMeters;
}
