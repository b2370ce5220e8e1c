/**
 * ReusedSpec: one mutable FlowSpec that a caller fills in before each startFlow, for callers that
 * start flows by the million (start-up steps, services). FluidSharing.startFlow copies what it keeps
 * (a flow's resources and coefficients go into FlowTable's columns) and holds on to no spec or use,
 * so one object serves every flow and none costs an allocation.
 */
import type { FlowSpec, OnDone, Use } from "./types.js";

/** A use whose coefficient the caller may set right after on() / alsoOn(). */
export interface MutableUse {
  resource: number;
  coef: number;
}

export class ReusedSpec implements FlowSpec {
  /** Set before every start: nothing is reset between flows but the uses (by on()). */
  work = 0;
  weight = 1;
  cap = Infinity;
  onDone: OnDone | undefined = undefined;
  uses: readonly Use[];
  private readonly first: MutableUse = { resource: 0, coef: 1 };
  private readonly second: MutableUse = { resource: 0, coef: 1 };
  private readonly one: readonly Use[] = [this.first];
  private readonly two: readonly Use[] = [this.first, this.second];

  constructor() {
    this.uses = this.one;
  }

  /** The flow uses resource r alone (coefficient 1 unless the caller sets it); returns that use. */
  on(r: number): MutableUse {
    this.first.resource = r;
    this.first.coef = 1;
    this.uses = this.one;
    return this.first;
  }

  /** The flow, set up by on(), also uses resource r (coefficient 1 unless the caller sets it); returns that use. */
  alsoOn(r: number): MutableUse {
    this.second.resource = r;
    this.second.coef = 1;
    this.uses = this.two;
    return this.second;
  }
}
