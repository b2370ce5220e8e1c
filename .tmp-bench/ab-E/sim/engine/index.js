/**
 * The engine's public face: event queue, simulation loop, named random streams and distributions.
 * Domain-free by contract: nothing here knows what an event or a stream name means.
 */
export { EventQueue } from "./event-queue.js";
export { Simulation } from "./simulation.js";
export { RngStreams, deriveSeed } from "./rng.js";
export { sample, mean, standardNormal, } from "./distributions.js";
