/**
 * Positions on the WGS 84 ellipsoid approximated by a sphere of the mean Earth radius (IUGG,
 * 6,371,008.8 m): over the tens of kilometres an exercise covers, the error is well under the
 * sensors' own uncertainty. Formulas are the standard great-circle ones (the "destination point"
 * and haversine forms, e.g. Sinnott 1984).
 */

export const EARTH_RADIUS_M = 6_371_008.8;

export interface Position {
  /** Degrees north, −90…90. */
  readonly lat: number;
  /** Degrees east, −180…180. */
  readonly lon: number;
}

const rad = (deg: number) => (deg * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;

/** Heading in [0, 360). */
export function normaliseHeading(degrees: number): number {
  const h = degrees % 360;
  return h < 0 ? h + 360 : h;
}

/** The signed smallest turn from `from` to `to`, in (−180, 180]. */
export function turnBetween(from: number, to: number): number {
  const d = normaliseHeading(to - from);
  return d > 180 ? d - 360 : d;
}

/** Where a great circle leaving `start` on `headingDeg` is after `distanceM`. */
export function destination(start: Position, headingDeg: number, distanceM: number): Position {
  const delta = distanceM / EARTH_RADIUS_M;
  const theta = rad(headingDeg);
  const phi1 = rad(start.lat);
  const lambda1 = rad(start.lon);
  const phi2 = Math.asin(Math.sin(phi1) * Math.cos(delta) + Math.cos(phi1) * Math.sin(delta) * Math.cos(theta));
  const lambda2 = lambda1 + Math.atan2(Math.sin(theta) * Math.sin(delta) * Math.cos(phi1), Math.cos(delta) - Math.sin(phi1) * Math.sin(phi2));
  return { lat: deg(phi2), lon: ((deg(lambda2) + 540) % 360) - 180 };
}

/** The great-circle distance between two positions (haversine). */
export function distanceBetween(a: Position, b: Position): number {
  const dPhi = rad(b.lat - a.lat);
  const dLambda = rad(b.lon - a.lon);
  const h = Math.sin(dPhi / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLambda / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The initial great-circle bearing from `a` to `b`, in [0, 360). */
export function bearingTo(a: Position, b: Position): number {
  const phi1 = rad(a.lat);
  const phi2 = rad(b.lat);
  const dLambda = rad(b.lon - a.lon);
  const y = Math.sin(dLambda) * Math.cos(phi2);
  const x = Math.cos(phi1) * Math.sin(phi2) - Math.sin(phi1) * Math.cos(phi2) * Math.cos(dLambda);
  return normaliseHeading(deg(Math.atan2(y, x)));
}

/** Rounded for a payload: 1e-5° is about a metre, finer than any sensor here reports. */
export function rounded(p: Position): Position {
  return { lat: Math.round(p.lat * 1e5) / 1e5, lon: Math.round(p.lon * 1e5) / 1e5 };
}
