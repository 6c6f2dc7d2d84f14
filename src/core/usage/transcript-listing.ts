/**
 * Finding the transcripts: every `.jsonl` file under each Claude dir's `projects` folder, by project folder, with what
 * could not be read there. The engine lists before it reads; `tce usage` lists to see whether anything changed.
 */
import path from 'node:path';
import { kindOf, readProblem } from '../regular-file.js';
import { type Steps, runSteps } from './pacer.js';

// See private-file.ts.
const { readdirSync } = process.getBuiltinModule('node:fs');

export interface FoundFile {
  path: string;
  root: string;
  project: string;
}

/**
 * The transcripts under one project folder, walked down (session folders, sub-agents), the folders walked, and what
 * could not be read there: folders, entries that are not regular files, and (set by the refresh that last looked at
 * them) transcripts that could not be stat-ed or opened. Each is a gap in the totals, shown with the report.
 */
export interface ProjectListing {
  files: FoundFile[];
  folders: string[];
  problems: string[];
  readProblems: string[];
}

/** The listing key of a transcript's folder: its project folder, or `projects` itself for '(none)'. */
export function folderOf(file: { root: string; project: string }): string {
  return file.project === '(none)' ? path.join(file.root, 'projects') : path.join(file.root, 'projects', file.project);
}

function listingProblem(dir: string, error: unknown): string | null {
  // A missing `projects` folder (no session yet) or one removed meanwhile is no gap.
  const problem = readProblem(dir, error);
  return problem ? `${problem.replace(/^cannot read /, 'cannot read folder ')}; the transcripts in it are not counted` : null;
}

/**
 * Synchronous on purpose, like the stats below: a few milliseconds for hundreds of files, where the thread-pool
 * round trips of the async calls were most of a warm start. One readdir per folder, types from the listing: the
 * recursive readdir stats every entry to find the folders. Null when the folder is gone.
 */
export function walkProject(root: string, dir: string, project: string): ProjectListing | null {
  const out: ProjectListing = { files: [], folders: [], problems: [], readProblems: [] };
  const walk = (folder: string): boolean => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      const problem = listingProblem(folder, error);
      if (problem) out.problems.push(problem);
      return problem !== null;
    }
    out.folders.push(folder);
    for (const d of entries) {
      const full = `${folder}${path.sep}${d.name}`;
      if (d.isDirectory()) walk(full);
      else if (d.isFile()) {
        if (d.name.endsWith('.jsonl')) out.files.push({ path: full, root, project });
      } else if (d.name.endsWith('.jsonl')) out.problems.push(`skipped ${full}: ${kindOf(d)}, not a regular file`);
    }
    return true;
  };
  return walk(dir) ? out : null;
}

/**
 * Every project folder of a Claude dir, by its path (`<root>/projects/<name>`). Transcripts lying directly in
 * `projects` (no project folder), and what cannot be read there, are listed under that folder's own path, as
 * project '(none)'.
 */
export function listRoot(root: string, into: Map<string, ProjectListing>): void {
  runSteps(listRootSteps(root, into));
}

/** `listRoot` in steps, one project folder a step (see pacer.ts): a big history has thousands of folders. */
export function* listRootSteps(root: string, into: Map<string, ProjectListing>): Steps<void> {
  const projects = path.join(root, 'projects');
  const loose: ProjectListing = { files: [], folders: [], problems: [], readProblems: [] };
  let entries;
  try {
    entries = readdirSync(projects, { withFileTypes: true });
  } catch (error) {
    const problem = listingProblem(projects, error);
    if (problem) into.set(projects, { ...loose, problems: [problem] });
    return;
  }
  for (const d of entries) {
    const full = `${projects}${path.sep}${d.name}`;
    if (d.isDirectory()) {
      const listing = walkProject(root, full, d.name);
      if (listing) into.set(full, listing);
      yield;
    } else if (d.isFile()) {
      if (d.name.endsWith('.jsonl')) loose.files.push({ path: full, root, project: '(none)' });
    } else if (d.name.endsWith('.jsonl') || d.isSymbolicLink()) loose.problems.push(`skipped ${full}: ${kindOf(d)}, not a regular file`);
  }
  if (loose.files.length > 0 || loose.problems.length > 0) into.set(projects, loose);
}
