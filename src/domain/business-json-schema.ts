import { z } from "zod";
import { businessConfigSchema } from "./business-config.ts";

/** The JSON Schema of a business config file as an operator writes it (the input side). */
export function businessJsonSchema() {
  return {
    ...z.toJSONSchema(businessConfigSchema, { io: "input", unrepresentable: "any" }),
    title: "Handoff business config",
  };
}
