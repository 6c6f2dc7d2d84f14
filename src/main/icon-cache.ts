import type { TrayState } from './icon-drawing.js';

/**
 * Tray images, one per state and count label, made on first use and kept: drawing one costs a few milliseconds, a
 * poll that changes nothing must cost microseconds. At most 5 states x 101 labels ('', 1-99, 99+) are ever made.
 */
export class IconCache<T> {
  private readonly images = new Map<string, T>();

  constructor(private readonly make: (state: TrayState, label: string) => T) {}

  get(state: TrayState, label = ''): T {
    const key = `${state}:${label}`;
    let image = this.images.get(key);
    if (image === undefined) {
      image = this.make(state, label);
      this.images.set(key, image);
    }
    return image;
  }

  get size(): number {
    return this.images.size;
  }
}
