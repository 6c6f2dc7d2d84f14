import type { ProcessSource } from '../source.js';
import { LinuxProcSource } from './linux-proc.js';
import { SystemInformationSource } from './systeminformation.js';

/** /proc on Linux (one pass, no child processes); systeminformation elsewhere. */
export function defaultProcessSource(platform: NodeJS.Platform = process.platform): ProcessSource {
  return platform === 'linux' ? new LinuxProcSource() : new SystemInformationSource();
}
