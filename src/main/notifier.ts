import { Notification } from 'electron';

export interface NoticeToShow {
  title: string;
  body: string;
  onClick?: () => void;
}

/** Native notifications; keeps each one referenced until it is clicked or closed, so its click still arrives. */
export class Notifier {
  private readonly live = new Set<Notification>();

  show(notice: NoticeToShow): void {
    if (!Notification.isSupported()) return;
    const n = new Notification({ title: notice.title, body: notice.body });
    this.live.add(n);
    const forget = (): void => {
      this.live.delete(n);
    };
    n.on('click', () => {
      forget();
      notice.onClick?.();
    });
    n.on('close', forget);
    n.on('failed', forget);
    n.show();
  }
}
