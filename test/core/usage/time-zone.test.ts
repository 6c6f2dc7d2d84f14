// Local calendar days and hours: the per-day offset shortcut must give exactly what Intl says, across DST changes,
// in zones with half- and quarter-hour offsets and in ones whose DST moves the clock by 30 minutes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZonedCalendar } from '../../../src/core/usage/time-zone.js';

const formats = new Map<string, Intl.DateTimeFormat>();

function intlLocal(ts: number, timeZone: string): { date: string; hour: number } {
  const parts: Record<string, string> = {};
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  for (const p of format.formatToParts(new Date(ts))) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) % 24 };
}

const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'Asia/Kolkata'];

test('every instant over two years lands on the date and hour Intl gives, in zones with every kind of offset and DST', () => {
  const start = Date.UTC(2025, 0, 1);
  const end = Date.UTC(2027, 0, 1);
  for (const zone of ZONES) {
    const calendar = new ZonedCalendar(zone);
    let checked = 0;
    // A step that is not a multiple of 15 minutes, so instants fall everywhere within the quarter hours.
    for (let ts = start; ts < end; ts += 47 * 60_000 + 13_000) {
      assert.deepEqual(calendar.at(ts), intlLocal(ts, zone), `${zone} at ${new Date(ts).toISOString()}`);
      checked++;
    }
    assert.ok(checked > 20_000);
  }
});

test('the minutes around each DST change of 2026 in New York and Lord Howe are on the right side of it', () => {
  for (const [zone, instants] of [
    ['America/New_York', [Date.UTC(2026, 2, 8, 6, 59), Date.UTC(2026, 2, 8, 7, 0), Date.UTC(2026, 10, 1, 5, 59), Date.UTC(2026, 10, 1, 6, 0)]],
    ['Australia/Lord_Howe', [Date.UTC(2026, 3, 4, 14, 59), Date.UTC(2026, 3, 4, 15, 0), Date.UTC(2026, 9, 3, 15, 29), Date.UTC(2026, 9, 3, 15, 30)]],
  ] as const) {
    const calendar = new ZonedCalendar(zone);
    for (const ts of instants) assert.deepEqual(calendar.at(ts), intlLocal(ts, zone), `${zone} at ${new Date(ts).toISOString()}`);
  }
});

test('zones that changed offset at 00:01 or at odd minutes get the right hour in the minutes after each change', () => {
  for (const zone of ['America/St_Johns', 'America/Goose_Bay', 'Asia/Gaza', 'Asia/Hebron', 'Antarctica/Casey']) {
    const calendar = new ZonedCalendar(zone);
    const offsetOf = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    const offset = (ts: number) => offsetOf.formatToParts(new Date(ts)).find((p) => p.type === 'timeZoneName')?.value;
    let changes = 0;
    for (let ts = Date.UTC(2010, 0, 1); ts < Date.UTC(2022, 0, 1); ts += 6 * 3_600_000) {
      if (offset(ts) === offset(ts + 6 * 3_600_000)) continue;
      changes++;
      for (let m = ts; m <= ts + 6 * 3_600_000; m += 60_000) assert.deepEqual(calendar.at(m), intlLocal(m, zone), `${zone} at ${new Date(m).toISOString()}`);
    }
    assert.ok(changes > 0, `${zone} changed offset between 2010 and 2022`);
  }
});
