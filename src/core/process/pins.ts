import type { Pin } from '../settings/types.js';

/**
 * Start times of one process read at different moments (or by different sources) may differ by the rounding of the
 * clock tick or second; a reused PID starts far later than that.
 */
const SAME_START_MS = 1_500;

export function sameStart(a: string | number, b: string | number): boolean {
  const ta = typeof a === 'number' ? a : Date.parse(a);
  const tb = typeof b === 'number' ? b : Date.parse(b);
  return Number.isFinite(ta) && Number.isFinite(tb) && Math.abs(ta - tb) <= SAME_START_MS;
}

export function findPin(pins: Pin[], pid: number, startedAt: string | number): Pin | undefined {
  return pins.find((p) => p.pid === pid && sameStart(p.startedAt, startedAt));
}

/** Pins that still point at a live process (pid and start time), in their order. */
export function livePins(pins: Pin[], alive: Array<{ pid: number; startedAt: string }>): Pin[] {
  return pins.filter((pin) => alive.some((p) => p.pid === pin.pid && sameStart(pin.startedAt, p.startedAt)));
}
