/** `densim schema`: the JSON Schema of the scenario format, generated from the loader's own schema. */
import type { Argv } from "yargs";

export const schemaCommand = {
  command: "schema",
  describe: "Print the scenario JSON Schema (for editor autocompletion)",
  builder: (y: Argv) => y,
  handler: async (): Promise<void> => {
    const { scenarioJsonSchema } = await import("../../scenario/index.js");
    process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  },
};
