/** Calendar days and hours of instants in an IANA time zone. */

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * What the local zone is decided from, where that can be told without asking Intl (a first formatter costs ~10 ms and
 * ~8 MB): on Linux, ICU takes TZ, else the zone /etc/localtime links to (else one whose file it equals), else
 * /etc/timezone. Equal inputs, same Node (same ICU): the same zone. Null on other systems.
 */
export function localZoneInputs(env: NodeJS.ProcessEnv = process.env): string | null {
  if (process.platform !== 'linux') return null;
  const fs = process.getBuiltinModule('node:fs');
  const id = (file: string): string => {
    try {
      const st = fs.lstatSync(file);
      return [st.dev, st.ino, st.size, st.mtimeMs, st.ctimeMs, st.isSymbolicLink() ? fs.readlinkSync(file) : ''].join(' ');
    } catch {
      return 'absent';
    }
  };
  return JSON.stringify([env.TZ ?? null, id('/etc/localtime'), id('/etc/timezone'), process.version]);
}

const validZones = new Map<string, boolean>();

/** Whether Intl knows the zone; remembered, as asking means building a formatter (a report checks its zone each time). */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone === 'UTC') return true;
  let valid = validZones.get(timeZone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      valid = true;
    } catch {
      valid = false;
    }
    validZones.set(timeZone, valid);
  }
  return valid;
}

export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  hour: number;
}

/**
 * Local dates and hours from the zone's UTC offset, which is asked of Intl once or twice per UTC day: an offset that is
 * the same at both ends of a day holds all day (zones change offset at most once a day), and only days with a change
 * are looked at minute by minute (some changes happen at 00:01). One calendar per zone is kept, so reports over years
 * of history pay for each day once.
 */
export class ZonedCalendar {
  private static readonly byZone = new Map<string, ZonedCalendar>();
  /** Made on first use: building one costs more than a whole report in UTC, which never needs it. */
  private formatter: Intl.DateTimeFormat | null = null;
  /** UTC day number -> offset in ms, or NaN when the offset changes during that day. */
  private readonly dayOffsets = new Map<number, number>();
  private readonly minuteOffsets = new Map<number, number>();
  private readonly dates = new Map<number, string>();
  private readonly times = new Map<number, LocalTime>();
  /** Rows come mostly in time order: the previous answer is often the next one too. */
  private lastMinute = NaN;
  private last: LocalTime = { date: '', hour: 0 };

  constructor(readonly timeZone: string) {}

  static of(timeZone: string): ZonedCalendar {
    let calendar = ZonedCalendar.byZone.get(timeZone);
    if (!calendar) {
      calendar = new ZonedCalendar(timeZone);
      ZonedCalendar.byZone.set(timeZone, calendar);
    }
    return calendar;
  }

  private get format(): Intl.DateTimeFormat {
    this.formatter ??= new Intl.DateTimeFormat('en-US', {
      timeZone: this.timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    return this.formatter;
  }

  /** The zone's offset from UTC at an instant, asked of Intl. */
  private offsetAt(ts: number): number {
    const p: Record<string, number> = {};
    for (const part of this.format.formatToParts(new Date(ts))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!);
    return wall - Math.floor(ts / MINUTE_MS) * MINUTE_MS;
  }

  private offset(ts: number): number {
    if (this.timeZone === 'UTC') return 0;
    const day = Math.floor(ts / DAY_MS);
    let offset = this.dayOffsets.get(day);
    if (offset === undefined) {
      const start = this.offsetAt(day * DAY_MS);
      offset = start === this.offsetAt((day + 1) * DAY_MS - MINUTE_MS) ? start : NaN;
      this.dayOffsets.set(day, offset);
    }
    if (!Number.isNaN(offset)) return offset;
    const minute = Math.floor(ts / MINUTE_MS);
    let m = this.minuteOffsets.get(minute);
    if (m === undefined) {
      m = this.offsetAt(minute * MINUTE_MS);
      this.minuteOffsets.set(minute, m);
    }
    return m;
  }

  at(ts: number): LocalTime {
    const minute = Math.floor(ts / MINUTE_MS);
    if (minute === this.lastMinute) return this.last;
    const local = minute * MINUTE_MS + this.offset(ts);
    const localHour = Math.floor(local / HOUR_MS);
    let hit = this.times.get(localHour);
    if (!hit) {
      const localDay = Math.floor(local / DAY_MS);
      let date = this.dates.get(localDay);
      if (date === undefined) {
        date = new Date(localDay * DAY_MS).toISOString().slice(0, 10);
        this.dates.set(localDay, date);
      }
      hit = { date, hour: localHour - localDay * 24 };
      this.times.set(localHour, hit);
    }
    this.lastMinute = minute;
    this.last = hit;
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
