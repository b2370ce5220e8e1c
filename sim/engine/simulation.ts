/**
 * Simulation: a clock plus an EventQueue; `run()` fires events in (time, scheduling order) and calls the
 * handler registered for each event's kind with its numeric data. It knows nothing about what events mean.
 */
import { EventQueue, type Handle } from "./event-queue.js";

/** Called when an event of its kind fires; `sim.now` is the event's time. */
export type Handler = (data: number, sim: Simulation) => void;

export class Simulation {
  /** Current simulated time in seconds. */
  now = 0;
  /** Events whose handler has been called, across all run() calls. */
  eventsProcessed = 0;

  private readonly queue: EventQueue;
  private readonly handlers: Handler[] = [];
  /**
   * True while a handler runs and its own event still sits at the heap top; the first event that
   * handler schedules overwrites it (one sift-down instead of pop + push).
   */
  private topFired = false;
  private running = false;
  private stopRequested = false;

  constructor(initialCapacity?: number) {
    this.queue = new EventQueue(initialCapacity);
  }

  /** Registers a handler and returns the fresh kind id to schedule it with. */
  register(handler: Handler): number {
    return this.handlers.push(handler) - 1;
  }

  /** Schedules `kind` at absolute time `time` (>= now, finite). Throws on past, NaN or infinite times. */
  at(time: number, kind: number, data: number = 0): Handle {
    this.checkAt(time, kind);
    if (this.topFired) {
      this.topFired = false;
      return this.queue.replaceTop(time, kind, data);
    }
    return this.queue.schedule(time, kind, data);
  }

  /**
   * Takes the sequence number the next schedule or reschedule would get, scheduling nothing. An event
   * later placed with it (atWithSeq, rescheduleWithSeq) fires exactly where one scheduled now for the
   * same time would: a caller can keep many timed items in its own structure and hold one engine
   * event for the earliest, without changing the order anything fires in.
   */
  reserveSeq(): number {
    return this.queue.reserveSeq();
  }

  /** at() with a sequence number from reserveSeq() (the caller gives each number to one event at a time). */
  atWithSeq(time: number, seq: number, kind: number, data: number = 0): Handle {
    this.checkAt(time, kind);
    if (this.topFired) {
      this.topFired = false;
      return this.queue.replaceTopWithSeq(time, seq, kind, data);
    }
    return this.queue.scheduleWithSeq(time, seq, kind, data);
  }

  /** Schedules `kind` at now + delay (delay >= 0, finite). */
  after(delay: number, kind: number, data: number = 0): Handle {
    return this.at(this.now + delay, kind, data);
  }

  /** Cancels a pending event; false if it already fired, was cancelled, or the handle is unknown. */
  cancel(handle: Handle): boolean {
    if (this.isFiring(handle)) return false;
    return this.queue.cancel(handle);
  }

  /** Moves a pending event to absolute time `time` (>= now); it queues behind events already at that time. */
  reschedule(handle: Handle, time: number): boolean {
    if (!(time >= this.now) || time === Infinity) this.badTime(time);
    if (this.isFiring(handle)) return false;
    return this.queue.reschedule(handle, time);
  }

  /** reschedule() to (time, seq), seq from reserveSeq(); false if the handle is stale or its event is firing. */
  rescheduleWithSeq(handle: Handle, time: number, seq: number): boolean {
    if (!(time >= this.now) || time === Infinity) this.badTime(time);
    if (this.isFiring(handle)) return false;
    return this.queue.rescheduleWithSeq(handle, time, seq);
  }

  isPending(handle: Handle): boolean {
    return !this.isFiring(handle) && this.queue.isPending(handle);
  }

  /** Number of events waiting to fire (the one whose handler is running is not counted). */
  get pending(): number {
    return this.topFired ? this.queue.size - 1 : this.queue.size;
  }

  /** Time of the next event to fire, Infinity if none. */
  peekTime(): number {
    return this.topFired ? this.queue.peekSecondTime() : this.queue.peekTime();
  }

  /**
   * Fires events with time <= until in order. Afterwards `now` = until when until is finite (later
   * events stay pending), else the last event's time. After stop(), `now` stays at the stopping event.
   */
  run(until: number = Infinity): void {
    if (this.running) throw new Error("Simulation.run: already running (run() is not re-entrant)");
    if (!(until >= this.now)) throw new RangeError(`Simulation.run: until=${until} is before now=${this.now}`);
    this.running = true;
    this.stopRequested = false;
    try {
      this.fireUntil(until);
      if (!this.stopRequested && until !== Infinity) this.now = until;
    } finally {
      // A throwing handler still consumes its event, so the queue is consistent for inspection.
      if (this.topFired) {
        this.topFired = false;
        this.queue.pop();
      }
      this.running = false;
    }
  }

  /**
   * run()'s loop, a method of its own: V8 compiles a long loop while it runs (on-stack replacement)
   * and keeps that code for the next run, so what follows the loop lives in the caller, or code
   * compiled before any loop had ended would be thrown back to the interpreter at every run's end.
   */
  private fireUntil(until: number): void {
    const queue = this.queue;
    const handlers = this.handlers;
    while (!this.stopRequested) {
      if (queue.size === 0) return;
      const t = queue.peekTime();
      if (t > until) return;
      this.now = t;
      const slot = queue.peekSlot();
      this.topFired = true;
      handlers[queue.kindOf(slot)]!(queue.dataOf(slot), this);
      if (this.topFired) {
        this.topFired = false;
        queue.pop();
      }
      this.eventsProcessed++;
    }
  }

  /** Ends the current run() after the running handler returns; no effect outside run(). */
  stop(): void {
    this.stopRequested = true;
  }

  private isFiring(handle: Handle): boolean {
    return this.topFired && this.queue.slotOf(handle) === this.queue.peekSlot();
  }

  private checkAt(time: number, kind: number): void {
    // One comparison rejects the past and NaN; infinite times would make run() jump the clock to Infinity.
    if (!(time >= this.now) || time === Infinity) this.badTime(time);
    if (!(kind >= 0 && kind < this.handlers.length && (kind | 0) === kind)) this.badKind(kind);
  }

  private badTime(time: number): never {
    throw new RangeError(`Simulation: event time ${time} is not a finite time >= now (${this.now})`);
  }

  private badKind(kind: number): never {
    throw new RangeError(`Simulation: kind ${kind} has no registered handler`);
  }
}
