// A stand-in for the Electron binary, run through Electron's own override (ELECTRON_OVERRIDE_DIST_PATH/electron is a
// shell script that execs this file with Node, keeping its PID). It writes what it was started with and every signal
// it receives to $STUB_ELECTRON_RECORD (JSON, replaced atomically), and behaves as $STUB_ELECTRON_MODE says:
//   run            stays up; on SIGINT, SIGTERM or SIGHUP exits with $STUB_ELECTRON_EXIT_CODE (default 0), as
//                  Electron's one graceful stop does
//   slow-quit      stays up and records signals but does not exit on them (a shutdown that hangs)
//   exit:N         exits with code N at once (N = 0: what a second instance does)
//   fail-at-start  writes an error to stderr and exits 127, as a missing library makes Electron do
// (test/cli/run.test.ts plays the last two with plain shell scripts, which end faster than Node starts.)
import fs from 'node:fs';

export interface StubRecord {
  pid: number;
  ppid: number;
  /** Process group and session, from /proc/self/stat. */
  pgid: number | null;
  sid: number | null;
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  signals: string[];
}

function groupAndSession(): { pgid: number | null; sid: number | null } {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command's closing parenthesis: state ppid pgrp session ...
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pgid: Number(rest[2]), sid: Number(rest[3]) };
  } catch {
    return { pgid: null, sid: null };
  }
}

const file = process.env.STUB_ELECTRON_RECORD;
const mode = process.env.STUB_ELECTRON_MODE ?? 'run';
const record: StubRecord = {
  pid: process.pid,
  ppid: process.ppid,
  ...groupAndSession(),
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: { ...process.env },
  signals: [],
};

function save(): void {
  if (!file) return;
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(record));
  fs.renameSync(`${file}.tmp`, file);
}

save();

if (mode.startsWith('exit:')) {
  process.exit(Number(mode.slice('exit:'.length)));
} else if (mode === 'fail-at-start') {
  process.stderr.write('electron: error while loading shared libraries: libgtk-3.so.0: cannot open shared object file\n');
  process.exit(127);
} else {
  const code = Number(process.env.STUB_ELECTRON_EXIT_CODE ?? '0');
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      record.signals.push(signal);
      save();
      if (mode === 'run') process.exit(code);
    });
  }
  // Stays up until a signal ends it.
  setInterval(() => undefined, 60_000);
}
