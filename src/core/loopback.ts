/**
 * Which host names stay on this machine: the rule for a dashboard server that needs no token of the user's, and for
 * a remote machine that may be reached over plain http (an SSH tunnel's forwarded port). Browser-safe.
 */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
