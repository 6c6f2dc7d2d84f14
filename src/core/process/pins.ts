import type { Pin } from '../settings/types.js';
import { hasStartId, sameStart, type StartFacts } from './identity.js';

export { sameStart } from './identity.js';

/** Whether `pin` holds for this process: same PID and start (exact start ticks when the pin has them). */
export function pinHolds(pin: Pin, p: { pid: number } & StartFacts): boolean {
  if (pin.pid !== p.pid) return false;
  return pin.startId !== undefined ? hasStartId(p, pin.startId) : sameStart(pin.startedAt, p.startTime);
}

export function findPin(pins: Pin[], p: { pid: number } & StartFacts): Pin | undefined {
  return pins.find((pin) => pinHolds(pin, p));
}

/** Pins that still point at a live process (pid and start), in their order. */
export function livePins(pins: Pin[], alive: Array<{ pid: number } & StartFacts>): Pin[] {
  return pins.filter((pin) => alive.some((p) => pinHolds(pin, p)));
}
