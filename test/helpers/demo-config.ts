import demo from "../../fixtures/demo-business.json" with { type: "json" };
import { businessConfigSchema, type BusinessConfig, type BusinessConfigInput } from "../../src/domain/business-config.ts";

/** The demo business as raw JSON, copied so a test can change it freely. */
export const demoInput = (): BusinessConfigInput => structuredClone(demo) as BusinessConfigInput;

/** The demo business parsed (defaults filled), optionally changed first. */
export function demoConfig(change: (c: BusinessConfigInput) => void = () => {}): BusinessConfig {
  const input = demoInput();
  change(input);
  return businessConfigSchema.parse(input);
}
