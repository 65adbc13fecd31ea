// Writes schema/business.schema.json from the zod config schema, so editors can check a
// business file as it is typed. Run with `npm run schema:json`; a test keeps the file current.
import { writeFileSync } from "node:fs";
import { businessJsonSchema } from "../src/domain/business-json-schema.ts";

writeFileSync(new URL("../schema/business.schema.json", import.meta.url), JSON.stringify(businessJsonSchema(), null, 2) + "\n");
console.log("wrote schema/business.schema.json");
