import { Notification } from 'electron';

export interface NoticeToShow {
  title: string;
  body: string;
  onClick?: () => void;
}

const NO_SERVICE = 'this system offers Electron no notification service';

/**
 * Native notifications; keeps each one referenced until it is clicked or closed, so its click still arrives. When
 * the system has no notification service, or refuses one (`failed`: an unsigned macOS app, Windows without the
 * app's shortcut and AppUserModelID), `onProblem` hears why, so the tray can say it; a later one shown clears it.
 */
export class Notifier {
  private readonly live = new Set<Notification>();
  private problem: string | null = null;

  constructor(private readonly onProblem: (problem: string | null) => void = () => undefined) {}

  /** Why notifications cannot be shown, as far as is known, or null. */
  unavailable(): string | null {
    return this.problem;
  }

  /** Asks the system whether it can show notifications at all (before the first one is needed). */
  check(): void {
    if (!Notification.isSupported()) this.report(NO_SERVICE);
  }

  show(notice: NoticeToShow): void {
    if (!Notification.isSupported()) {
      this.report(NO_SERVICE);
      return;
    }
    const n = new Notification({ title: notice.title, body: notice.body });
    this.live.add(n);
    const forget = (): void => {
      this.live.delete(n);
    };
    n.on('show', () => this.report(null));
    n.on('click', () => {
      forget();
      notice.onClick?.();
    });
    n.on('close', forget);
    n.on('failed', (_event, error) => {
      forget();
      this.report(error.trim() || 'the system refused to show it');
    });
    n.show();
  }

  private report(problem: string | null): void {
    if (problem === this.problem) return;
    this.problem = problem;
    this.onProblem(problem);
  }
}
