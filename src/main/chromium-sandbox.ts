// Whether Electron must start with --no-sandbox. One rule for every way TCE is started: `tce run`, the XDG autostart
// entry, and (the same probe, made by electron-builder's AppImage launcher) the AppImage. Plain Node: the CLI uses it
// without Electron.
import fs from 'node:fs';
import path from 'node:path';

/**
 * Kernel switches that take unprivileged user namespaces away, and the value that does. Chromium's Linux sandbox
 * needs a user namespace, or else the setuid `chrome-sandbox` helper; with neither it aborts at start.
 */
export const USERNS_SWITCHES: ReadonlyArray<{ file: string; restrictedWhen: string }> = [
  // Ubuntu 23.10+: AppArmor denies user namespaces to programs without a profile that allows them.
  { file: '/proc/sys/kernel/apparmor_restrict_unprivileged_userns', restrictedWhen: '1' },
  // Debian's older kernels.
  { file: '/proc/sys/kernel/unprivileged_userns_clone', restrictedWhen: '0' },
  { file: '/proc/sys/user/max_user_namespaces', restrictedWhen: '0' },
];

/** What the decision looks at; each part can be replaced (tests, and the AppImage case). */
export interface SandboxProbes {
  platform: NodeJS.Platform;
  /** The effective user id, or null where there is none (Windows). */
  uid: number | null;
  userns: ReadonlyArray<{ file: string; restrictedWhen: string }>;
  /** A file's text, or null when it cannot be read. */
  readText(file: string): string | null;
  /** Owner and mode of a file, or null when it does not exist. */
  stat(file: string): { uid: number; mode: number } | null;
  /** Where AppArmor profiles live (a profile may grant the binary its user namespaces). */
  apparmorDir: string;
}

export const systemProbes = (): SandboxProbes => ({
  platform: process.platform,
  uid: typeof process.geteuid === 'function' ? process.geteuid() : null,
  userns: USERNS_SWITCHES,
  readText: (file) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  },
  stat: (file) => {
    try {
      const s = fs.statSync(file);
      return { uid: s.uid, mode: s.mode };
    } catch {
      return null;
    }
  },
  apparmorDir: '/etc/apparmor.d',
});

export interface SandboxDecision {
  noSandbox: boolean;
  /** Why --no-sandbox is needed, as one line; null when it is not. */
  why: string | null;
}

export interface SandboxTarget {
  /** The Electron executable that will run. */
  binary: string;
  /**
   * True when the binary runs from an AppImage: its FUSE mount is nosuid, so its chrome-sandbox can never be
   * setuid root whatever its mode says.
   */
  appImage?: boolean;
}

const SETUID = 0o4000;

/** The user-namespace switch that is set to its restricting value, if any. */
function restrictedUserns(probes: SandboxProbes): string | null {
  for (const { file, restrictedWhen } of probes.userns) {
    const value = probes.readText(file)?.trim();
    if (value === restrictedWhen) return `${file} = ${value}`;
  }
  return null;
}

/** An AppArmor profile named after the binary that names its path and allows user namespaces (as the .deb installs). */
function apparmorAllows(target: SandboxTarget, probes: SandboxProbes): boolean {
  const profile = probes.readText(path.join(probes.apparmorDir, path.basename(target.binary)));
  return profile !== null && profile.includes(target.binary) && /\buserns\b/.test(profile);
}

/**
 * --no-sandbox exactly when Chromium's sandbox cannot start: on Linux, as root (Chromium refuses to run its sandbox
 * as root), or when user namespaces are restricted and `chrome-sandbox` beside the binary is not setuid root (and no
 * AppArmor profile gives the binary its namespaces back). Everywhere else the sandbox stays on.
 */
export function sandboxDecision(target: SandboxTarget, probes: SandboxProbes = systemProbes()): SandboxDecision {
  if (probes.platform !== 'linux') return { noSandbox: false, why: null };
  if (probes.uid === 0) return { noSandbox: true, why: 'running as root, where Chromium cannot start its sandbox' };
  const restriction = restrictedUserns(probes);
  if (!restriction) return { noSandbox: false, why: null };
  const helper = path.join(path.dirname(target.binary), 'chrome-sandbox');
  const stat = target.appImage ? null : probes.stat(helper);
  const setuidRoot = stat !== null && stat.uid === 0 && (stat.mode & SETUID) !== 0;
  if (setuidRoot || apparmorAllows(target, probes)) return { noSandbox: false, why: null };
  const helperState = target.appImage ? `${helper} sits on an AppImage's nosuid mount` : stat ? `${helper} is not setuid root` : `${helper} is missing`;
  return { noSandbox: true, why: `user namespaces are restricted (${restriction}) and ${helperState}` };
}

/** The switch to pass, if any. */
export const sandboxArgs = (decision: SandboxDecision): string[] => (decision.noSandbox ? ['--no-sandbox'] : []);
