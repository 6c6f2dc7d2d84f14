/** What a TCE server tells another about its machine (`GET /api/machine`): made from its snapshot, here only. */
import type { ProcessSnapshot } from '../process/types.js';
import type { PlanUsage } from '../statusline/types.js';
import type { UsageBlock, UsageReport, UsageToday } from '../usage/types.js';
import { TCE_VERSION } from '../version.js';
import { MAX_SUMMARY_PROJECTS, type MachineSummary } from './types.js';

/** What a summary is made of: the parts of a snapshot it takes. */
export interface SummarySource {
  processes: ProcessSnapshot;
  usage: UsageReport | null;
  today: UsageToday | null;
  activeBlock: UsageBlock | null;
  plan: PlanUsage | null;
  warnings: string[];
  generatedAt: string;
  pollIntervalSeconds: number;
}

export function machineSummary(snapshot: SummarySource, hostname: string): MachineSummary {
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
