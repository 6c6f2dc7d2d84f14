/** What a TCE server tells another about its machine (`GET /api/machine`): made from its snapshot, here only. */
import type { Snapshot } from '../../shared/api.js';
import { TCE_VERSION } from '../version.js';
import { MAX_SUMMARY_PROJECTS, type MachineSummary } from './types.js';

export function machineSummary(snapshot: Snapshot, hostname: string): MachineSummary {
  const report = snapshot.usage;
  let today: MachineSummary['today'] = null;
  if (snapshot.today) {
    const { claudeCode: _claudeCode, ...rest } = snapshot.today;
    today = rest;
  }
  return {
    hostname,
    version: TCE_VERSION,
    generatedAt: snapshot.generatedAt,
    pollIntervalSeconds: snapshot.pollIntervalSeconds,
    processes: snapshot.processes,
    today,
    usage: report
      ? {
          totals: report.totals,
          models: report.models,
          // The report lists projects costliest first.
          projects: report.projects.slice(0, MAX_SUMMARY_PROJECTS),
          timezone: report.timezone,
        }
      : null,
    activeBlock: snapshot.activeBlock,
    plan: snapshot.plan,
    warnings: snapshot.warnings,
  };
}
