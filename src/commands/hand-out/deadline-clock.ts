/** Something that waits for a deadline on a DeadlineClock. */
export interface Timed {
  /** Called once, at the clock's first tick at or after the deadline, unless cancelled before. */
  due(): void;
  /** The clock's bookkeeping: the slot the deadline is in, -1 when not on the clock. */
  clockSlot: number;
}

/**
 * Deadlines of the held long polls on one timer instead of one each (10,000 polls held at once
 * were 10,000 Node `Timeout` objects, each with its async ids and list links): the deadlines are
 * kept in slots of `slotMs`, and one interval, running only while a deadline is pending, calls
 * `due()` on each at its first tick at or after its deadline (never before it, at most about
 * `slotMs` after). A poll's wait is whole seconds (0–30), so 100 ms slots keep its length within
 * the tenth of a second a timer of its own would add under load anyway.
 */
export class DeadlineClock<T extends Timed = Timed> {
  /** Slot number (the deadline in ms ÷ slotMs, rounded up) → what falls due in it. */
  private readonly slots = new Map<number, Set<T>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly slotMs = 100,
    private readonly now: () => number = Date.now,
  ) {}

  /** How many deadlines are pending. */
  get size(): number {
    let size = 0;
    for (const slot of this.slots.values()) size += slot.size;
    return size;
  }

  /** `item.due()` at the first tick at or after `atMs` (a Date.now() time). */
  add(item: T, atMs: number): void {
    if (item.clockSlot !== -1) this.cancel(item);
    const slot = Math.ceil(atMs / this.slotMs);
    let items = this.slots.get(slot);
    if (!items) this.slots.set(slot, (items = new Set()));
    items.add(item);
    item.clockSlot = slot;
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), this.slotMs);
      // Held polls keep the server open, not this timer (shutdown answers them all first).
      this.timer.unref();
    }
  }

  /** Takes the item's deadline off the clock (no-op when it has none). */
  cancel(item: T): void {
    const slot = item.clockSlot;
    if (slot === -1) return;
    item.clockSlot = -1;
    const items = this.slots.get(slot);
    if (!items) return;
    items.delete(item);
    if (!items.size) this.slots.delete(slot);
  }

  /** Calls `due()` on every item whose deadline has passed; stops the timer when nothing is left. */
  tick(): void {
    const now = this.now();
    for (const [slot, items] of this.slots) {
      if (slot * this.slotMs > now) continue;
      this.slots.delete(slot);
      for (const item of items) {
        // Cancelled by an earlier item's due() (the set is off the clock already).
        if (item.clockSlot !== slot) continue;
        item.clockSlot = -1;
        item.due();
      }
    }
    if (!this.slots.size && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
