/** Calendar days and hours of instants in an IANA time zone, cached per quarter hour (every zone offset is a multiple of 15 min). */

const QUARTER_HOUR_MS = 15 * 60 * 1000;

export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  hour: number;
}

export class ZonedCalendar {
  /** Made on first use: building one costs more than a whole report in UTC, which never needs it. */
  private formatter: Intl.DateTimeFormat | null = null;
  private readonly cache = new Map<number, LocalTime>();

  constructor(readonly timeZone: string) {}

  private get format(): Intl.DateTimeFormat {
    this.formatter ??= new Intl.DateTimeFormat('en-US', {
      timeZone: this.timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    return this.formatter;
  }

  at(ts: number): LocalTime {
    const bucket = Math.floor(ts / QUARTER_HOUR_MS);
    let hit = this.cache.get(bucket);
    if (!hit && this.timeZone === 'UTC') {
      const iso = new Date(bucket * QUARTER_HOUR_MS).toISOString();
      hit = { date: iso.slice(0, 10), hour: Number(iso.slice(11, 13)) };
      this.cache.set(bucket, hit);
    }
    if (!hit) {
      const parts: Record<string, string> = {};
      for (const p of this.format.formatToParts(new Date(bucket * QUARTER_HOUR_MS))) parts[p.type] = p.value;
      hit = { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) % 24 };
      this.cache.set(bucket, hit);
    }
    return hit;
  }
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isValidDate(date: string): boolean {
  const m = DATE_RE.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The Monday starting the ISO week that holds `date` (YYYY-MM-DD). */
export function weekStart(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  day.setUTCDate(day.getUTCDate() - sinceMonday);
  return day.toISOString().slice(0, 10);
}
