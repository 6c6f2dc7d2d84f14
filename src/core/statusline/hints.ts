/** What TCE says when it knows no plan use (CLI, dashboard, tray): how to get it. No Node imports: the renderer uses them too. */

/** No statusline record at all. */
export const PLAN_ENABLE_HINT =
  "No plan use known yet: Claude Code passes it (with Pro and Max plans) to its statusline command. Run `tce statusline --install`, then use Claude Code once.";

/** Records exist, but Claude Code sent no plan windows. */
export const PLAN_NO_WINDOWS_HINT =
  'Claude Code has sent no plan windows: they come with Pro and Max plans (signed in with claude.ai), not with an API key.';
