import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

// Checks real answers against the OpenAPI document the gateway serves: with ajv (the JSON Schema
// 2020-12 dialect OpenAPI 3.1 uses) for what the schema allows, and by walking the value for keys
// the schema never names, which JSON Schema allows by default and a drifting doc would hide.

type Schema = Record<string, any>;
export type OpenApiDoc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };

const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);

/** The documented JSON schema of `method path`'s answer with `status`, or undefined. */
export function responseSchema(doc: OpenApiDoc, method: string, path: string, status: number): Schema | undefined {
  return doc.paths[path]?.[method.toLowerCase()]?.responses?.[String(status)]?.content?.["application/json"]?.schema;
}

/** Problems of `value` against `schema` (refs into the document's components): ajv's errors and undocumented keys. */
export function problemsOf(doc: OpenApiDoc, schema: Schema, value: unknown): string[] {
  const validate = ajv.compile({ ...schema, components: doc.components });
  const problems = validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message}`);
  return [...problems, ...undocumentedKeys(doc, schema, value, "")];
}

function resolve(doc: OpenApiDoc, schema: Schema): Schema {
  let s = schema;
  while (s.$ref) s = doc.components.schemas[(s.$ref as string).replace("#/components/schemas/", "")]!;
  return s;
}

function undocumentedKeys(doc: OpenApiDoc, raw: Schema, value: unknown, at: string): string[] {
  const schema = resolve(doc, raw);
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (branches) {
    // The branch that fits best: a nullable object is anyOf [object, null].
    const found = branches.map((b) => undocumentedKeys(doc, b, value, at));
    return found.sort((a, b) => a.length - b.length)[0] ?? [];
  }
  if (Array.isArray(value)) {
    return schema.items ? value.flatMap((v, i) => undocumentedKeys(doc, schema.items, v, `${at}/${i}`)) : [];
  }
  if (value === null || typeof value !== "object") return [];
  const props = schema.properties as Record<string, Schema> | undefined;
  const extra = schema.additionalProperties;
  return Object.entries(value).flatMap(([key, v]) => {
    if (props?.[key]) return undocumentedKeys(doc, props[key]!, v, `${at}/${key}`);
    if (extra && typeof extra === "object") return undocumentedKeys(doc, extra, v, `${at}/${key}`);
    // A schema naming no properties (a record, "anything") documents any key.
    if (!props || extra === true) return [];
    return [`${at}/${key} is not in the document`];
  });
}
