/**
 * An ordered list of grid entities (x, y, direction, two timers) in typed arrays, so games can add and
 * remove entities without allocating. Order matters: the reference iterates its Python lists in order
 * (and in reverse), and removal keeps the order of the rest.
 */
export class EntityList {
  length = 0;
  x: Int16Array;
  y: Int16Array;
  /** 1 when moving right (towards larger x). */
  right: Uint8Array;
  timer: Int16Array;
  shotTimer: Int16Array;

  constructor(capacity = 16) {
    this.x = new Int16Array(capacity);
    this.y = new Int16Array(capacity);
    this.right = new Uint8Array(capacity);
    this.timer = new Int16Array(capacity);
    this.shotTimer = new Int16Array(capacity);
  }

  clear(): void {
    this.length = 0;
  }

  push(x: number, y: number, right: boolean, timer: number, shotTimer: number): void {
    if (this.length === this.x.length) this.grow();
    const i = this.length++;
    this.x[i] = x;
    this.y[i] = y;
    this.right[i] = right ? 1 : 0;
    this.timer[i] = timer;
    this.shotTimer[i] = shotTimer;
  }

  removeAt(i: number): void {
    const end = this.length--;
    this.x.copyWithin(i, i + 1, end);
    this.y.copyWithin(i, i + 1, end);
    this.right.copyWithin(i, i + 1, end);
    this.timer.copyWithin(i, i + 1, end);
    this.shotTimer.copyWithin(i, i + 1, end);
  }

  /** Index of the first entity on cell (x, y), or −1. */
  indexAt(x: number, y: number): number {
    for (let i = 0; i < this.length; i++) if (this.x[i] === x && this.y[i] === y) return i;
    return -1;
  }

  /** Capacity doubles when full: allocation happens a few times per environment, never in steady state. */
  private grow(): void {
    const capacity = this.x.length * 2;
    const grown = <T extends Int16Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.x = grown(this.x, (n) => new Int16Array(n));
    this.y = grown(this.y, (n) => new Int16Array(n));
    this.right = grown(this.right, (n) => new Uint8Array(n));
    this.timer = grown(this.timer, (n) => new Int16Array(n));
    this.shotTimer = grown(this.shotTimer, (n) => new Int16Array(n));
  }
}
