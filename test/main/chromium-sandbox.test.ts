// The one rule for --no-sandbox, on real files: a sysctl file, a chrome-sandbox whose owner and mode are real.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sandboxArgs, sandboxDecision, systemProbes, type SandboxProbes } from '../../src/main/chromium-sandbox.js';
import { tempDir, type Cleanup } from '../support/tmp.js';

const isRoot = process.getuid?.() === 0;

/** This system's probes, with the user and the user-namespace switch replaced by files of the test's own. */
function probes(t: Cleanup, over: { uid: number; restrict?: string | null; clone?: string | null }): SandboxProbes {
  const dir = tempDir(t, 'tce-sysctl-');
  const restrict = path.join(dir, 'apparmor_restrict_unprivileged_userns');
  const clone = path.join(dir, 'unprivileged_userns_clone');
  if (over.restrict != null) fs.writeFileSync(restrict, `${over.restrict}\n`);
  if (over.clone != null) fs.writeFileSync(clone, `${over.clone}\n`);
  return {
    ...systemProbes(),
    platform: 'linux',
    uid: over.uid,
    userns: [
      { file: restrict, restrictedWhen: '1' },
      { file: clone, restrictedWhen: '0' },
    ],
    apparmorDir: path.join(dir, 'apparmor.d'),
  };
}

/** An Electron folder: the binary, and chrome-sandbox with the given mode (owner: whoever runs the test). */
function electronDir(t: Cleanup, helperMode: number | null): string {
  const dir = tempDir(t, 'tce-electron-dir-');
  fs.writeFileSync(path.join(dir, 'electron'), '', { mode: 0o755 });
  if (helperMode !== null) {
    fs.writeFileSync(path.join(dir, 'chrome-sandbox'), '');
    fs.chmodSync(path.join(dir, 'chrome-sandbox'), helperMode);
  }
  return path.join(dir, 'electron');
}

describe('the Chromium sandbox decision', () => {
  it('keeps the sandbox for an ordinary user where user namespaces are free', (t) => {
    const binary = electronDir(t, 0o755);
    assert.deepEqual(sandboxDecision({ binary }, probes(t, { uid: 1000 })), { noSandbox: false, why: null });
    assert.deepEqual(sandboxDecision({ binary }, probes(t, { uid: 1000, restrict: '0', clone: '1' })), { noSandbox: false, why: null });
  });

  it('turns it off as root', (t) => {
    const decision = sandboxDecision({ binary: electronDir(t, 0o755) }, probes(t, { uid: 0 }));
    assert.deepEqual(decision, { noSandbox: true, why: 'running as root, where Chromium cannot start its sandbox' });
    assert.deepEqual(sandboxArgs(decision), ['--no-sandbox']);
  });

  it('turns it off where user namespaces are restricted and chrome-sandbox is not setuid root', (t) => {
    const ubuntu = probes(t, { uid: 1000, restrict: '1' });
    const plain = electronDir(t, 0o755);
    const decision = sandboxDecision({ binary: plain }, ubuntu);
    assert.equal(decision.noSandbox, true);
    assert.match(decision.why!, /^user namespaces are restricted \(.*apparmor_restrict_unprivileged_userns = 1\) and .*chrome-sandbox is not setuid root$/);
    assert.match(sandboxDecision({ binary: electronDir(t, null) }, ubuntu).why!, /chrome-sandbox is missing$/);
    const debian = probes(t, { uid: 1000, clone: '0' });
    assert.match(sandboxDecision({ binary: plain }, debian).why!, /unprivileged_userns_clone = 0/);
    assert.match(sandboxDecision({ binary: plain, appImage: true }, ubuntu).why!, /sits on an AppImage's nosuid mount$/);
  });

  it('keeps it where chrome-sandbox is setuid root', { skip: isRoot ? false : 'only root can make a file setuid root' }, (t) => {
    const binary = electronDir(t, 0o755);
    const helper = path.join(path.dirname(binary), 'chrome-sandbox');
    // A chown clears the setuid bit, so the mode comes after it, as electron-builder's .deb does it.
    fs.chownSync(helper, 0, 0);
    fs.chmodSync(helper, 0o4755);
    assert.deepEqual(sandboxDecision({ binary }, probes(t, { uid: 1000, restrict: '1' })), { noSandbox: false, why: null });
    // Setuid, but owned by someone else: no help.
    fs.chownSync(helper, 1000, 1000);
    fs.chmodSync(helper, 0o4755);
    assert.equal(sandboxDecision({ binary }, probes(t, { uid: 1000, restrict: '1' })).noSandbox, true);
  });

  it('keeps it where an AppArmor profile gives the binary its user namespaces', (t) => {
    const binary = electronDir(t, 0o755);
    const ubuntu = probes(t, { uid: 1000, restrict: '1' });
    fs.mkdirSync(ubuntu.apparmorDir);
    fs.writeFileSync(path.join(ubuntu.apparmorDir, 'electron'), `abi <abi/4.0>,\ninclude <tunables/global>\nprofile electron "${binary}" flags=(unconfined) {\n  userns,\n}\n`);
    assert.deepEqual(sandboxDecision({ binary }, ubuntu), { noSandbox: false, why: null });
  });

  it('never turns it off on macOS or Windows', (t) => {
    for (const platform of ['darwin', 'win32'] as const) {
      assert.deepEqual(sandboxDecision({ binary: electronDir(t, null) }, { ...probes(t, { uid: 0, restrict: '1' }), platform }), { noSandbox: false, why: null });
    }
  });
});
