// Whether a tray icon can be seen, asked of the session bus through real dbus-send/gdbus processes (stand-ins that
// print what the real tools print, so that every answer a desktop can give is covered on any machine).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { probeTrayHost, runCommand, type CommandRunner } from '../../src/main/tray-host.js';
import { tempDir, type Cleanup } from '../support/tmp.js';

/** Replies as dbus-send --print-reply and gdbus call print them. */
const DBUS_SEND_BOOL = (value: boolean): string => `method return time=1.0 sender=:1.7 -> destination=:1.9 serial=3 reply_serial=2\n   boolean ${value}\n`;
const DBUS_SEND_VARIANT = (value: boolean): string => `method return time=1.0 sender=:1.7 -> destination=:1.9 serial=4 reply_serial=2\n   variant       boolean ${value}\n`;
const GDBUS_BOOL = (value: boolean): string => `(${value},)\n`;
const GDBUS_VARIANT = (value: boolean): string => `(<${value}>,)\n`;

/**
 * A folder of stand-in tools. Each answers NameHasOwner with `owner` and the IsStatusNotifierHostRegistered property
 * with `host`, or fails like a session bus that cannot be reached; a tool left out is not installed.
 */
function tools(t: Cleanup, spec: { dbusSend?: { owner: boolean; host?: boolean } | 'no-bus'; gdbus?: { owner: boolean; host?: boolean } }): CommandRunner {
  const dir = tempDir(t, 'tce-dbus-tools-');
  const script = (name: string, ownerReply: string, hostReply: string | null): void => {
    const host = hostReply === null ? `echo "Error org.freedesktop.DBus.Error.UnknownProperty: no such property" >&2; exit 1` : `printf '%s' '${hostReply}'`;
    fs.writeFileSync(
      path.join(dir, name),
      `#!/bin/sh\ncase "$*" in\n  *IsStatusNotifierHostRegistered*) ${host} ;;\n  *NameHasOwner*) printf '%s' '${ownerReply}' ;;\n  *) exit 2 ;;\nesac\n`,
      { mode: 0o755 },
    );
  };
  if (spec.dbusSend === 'no-bus') {
    fs.writeFileSync(path.join(dir, 'dbus-send'), '#!/bin/sh\necho \'Failed to open connection to "session" message bus: Unable to autolaunch a dbus-daemon without a $DISPLAY for X11\' >&2\nexit 1\n', { mode: 0o755 });
  } else if (spec.dbusSend) {
    script('dbus-send', DBUS_SEND_BOOL(spec.dbusSend.owner), spec.dbusSend.host === undefined ? null : DBUS_SEND_VARIANT(spec.dbusSend.host));
  }
  if (spec.gdbus) script('gdbus', GDBUS_BOOL(spec.gdbus.owner), spec.gdbus.host === undefined ? null : GDBUS_VARIANT(spec.gdbus.host));
  return (program, args) => runCommand(path.join(dir, program), args);
}

describe('finding a tray host', () => {
  it('sees a panel that shows StatusNotifier icons', async (t) => {
    assert.deepEqual(await probeTrayHost('linux', tools(t, { dbusSend: { owner: true, host: true } })), { state: 'present', detail: 'org.kde.StatusNotifierWatcher reports a host' });
  });

  it('sees GNOME without the AppIndicator extension: no watcher on the bus', async (t) => {
    assert.deepEqual(await probeTrayHost('linux', tools(t, { dbusSend: { owner: false } })), { state: 'absent', detail: 'no org.kde.StatusNotifierWatcher on the session bus' });
  });

  it('sees a watcher that no host has registered with', async (t) => {
    const host = await probeTrayHost('linux', tools(t, { dbusSend: { owner: true, host: false } }));
    assert.deepEqual(host, { state: 'absent', detail: 'org.kde.StatusNotifierWatcher has no StatusNotifier host registered' });
  });

  it('takes a watcher without that property as a host', async (t) => {
    const host = await probeTrayHost('linux', tools(t, { dbusSend: { owner: true } }));
    assert.equal(host.state, 'present');
    assert.match(host.detail, /UnknownProperty/);
  });

  it('asks gdbus where dbus-send is not installed', async (t) => {
    assert.equal((await probeTrayHost('linux', tools(t, { gdbus: { owner: true, host: true } }))).state, 'present');
    assert.equal((await probeTrayHost('linux', tools(t, { gdbus: { owner: false } }))).state, 'absent');
    assert.equal((await probeTrayHost('linux', tools(t, { gdbus: { owner: true, host: false } }))).state, 'absent');
  });

  it('does not know without a bus or the tools, and says why', async (t) => {
    const noBus = await probeTrayHost('linux', tools(t, { dbusSend: 'no-bus' }));
    assert.equal(noBus.state, 'unknown');
    assert.match(noBus.detail, /^dbus-send failed: Failed to open connection to "session" message bus.*; gdbus is not installed$/);
    assert.deepEqual(await probeTrayHost('linux', tools(t, {})), { state: 'unknown', detail: 'dbus-send is not installed; gdbus is not installed' });
  });

  it('always has a tray on macOS and Windows', async () => {
    const never: CommandRunner = () => Promise.reject(new Error('not asked'));
    assert.equal((await probeTrayHost('darwin', never)).state, 'present');
    assert.equal((await probeTrayHost('win32', never)).state, 'present');
  });
});
