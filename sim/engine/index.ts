/**
 * The engine's public face: event queue, simulation loop, named random streams and distributions.
 * Domain-free by contract: nothing here knows what an event or a stream name means.
 */
export { EventQueue, type Handle } from "./event-queue.js";
export { Simulation, type Handler } from "./simulation.js";
export { RngFamily, RngStreams, deriveSeed, type Rng } from "./rng.js";
export {
  sample,
  mean,
  standardNormal,
  type Distribution,
  type ConstantDistribution,
  type UniformDistribution,
  type ExponentialDistribution,
  type NormalDistribution,
  type LognormalDistribution,
  type EmpiricalDistribution,
} from "./distributions.js";
