/** The report layer's number formatter is the one in sim/units (shared with the model's parameter listing). */
export * from "../units/format.js";
