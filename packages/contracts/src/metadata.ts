/**
 * Document metadata and the filter language over it. A document carries a small flat map
 * of keys to strings, numbers or string lists (set on upload, by API, in the admin; a
 * website source fills `source`, `path`, `lang`, `updated_at`). Retrieval, chat, the
 * OpenAI-compatible endpoint and the widget (a bot-level fixed filter) narrow the
 * searched documents with a filter: one node per object, exactly one operator per node.
 *
 *   { eq: { key, value } }                  string or number; on a string list: the list holds it
 *   { in: { key, values } }                 any of the values (same rule as eq for lists)
 *   { range: { key, gte?, gt?, lte?, lt? } } numbers compare numerically; strings compare
 *                                           byte-wise (ISO-8601 dates in one format sort as dates)
 *   { and: [filter, ...] }, { or: [filter, ...] }
 *
 * A document without the key never matches eq, in or range. The database side
 * (packages/db/src/queries/metadata-filter.ts) compiles a filter into one parameterised
 * SQL predicate.
 */
import { z } from "zod";

export const METADATA_KEY_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

export const metadataLimits = {
  maxKeys: 32,
  maxStringChars: 1_000,
  maxListItems: 100,
  maxListItemChars: 200,
  /** The whole map as JSON, in bytes. */
  maxBytes: 16_384,
} as const;

/** Keys a website source fills for its pages; documents may set them too. */
export const reservedMetadataKeys = ["source", "path", "lang", "updated_at"] as const;

export const metadataKeySchema = z
  .string()
  .regex(METADATA_KEY_PATTERN, "a metadata key is 1-64 lower-case letters, digits or '_', starting with a letter");

export const metadataValueSchema = z.union([
  z.string().max(metadataLimits.maxStringChars, `a string value is at most ${metadataLimits.maxStringChars} characters`),
  z.number().refine(Number.isFinite, "a number value must be finite"),
  z
    .array(z.string().max(metadataLimits.maxListItemChars, `a list item is at most ${metadataLimits.maxListItemChars} characters`))
    .max(metadataLimits.maxListItems, `a list holds at most ${metadataLimits.maxListItems} items`),
]);
export type MetadataValue = z.infer<typeof metadataValueSchema>;

export const documentMetadataSchema = z
  .record(z.string(), metadataValueSchema)
  .superRefine((metadata, ctx) => {
    for (const key of Object.keys(metadata)) {
      if (!METADATA_KEY_PATTERN.test(key)) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `"${key.slice(0, 80)}" is not a valid key: 1-64 lower-case letters, digits or '_', starting with a letter`,
        });
      }
    }
    const keys = Object.keys(metadata).length;
    if (keys > metadataLimits.maxKeys) {
      ctx.addIssue({ code: "custom", message: `metadata has ${keys} keys; the limit is ${metadataLimits.maxKeys}` });
    }
    const bytes = new TextEncoder().encode(JSON.stringify(metadata)).length;
    if (bytes > metadataLimits.maxBytes) {
      ctx.addIssue({ code: "custom", message: `metadata is ${bytes} bytes as JSON; the limit is ${metadataLimits.maxBytes}` });
    }
  })
  .describe("Document metadata: keys (lower-case letters, digits, '_') to strings, numbers or lists of strings.");
export type DocumentMetadata = z.infer<typeof documentMetadataSchema>;

export const metadataFilterLimits = {
  /** Nesting of and/or, the root counting as 1. */
  maxDepth: 5,
  /** Operator nodes (eq, in, range, and, or) in the whole filter. */
  maxNodes: 64,
  /** Values of one `in`. */
  maxInValues: 100,
  /** Children of one and/or. */
  maxChildren: 32,
} as const;

const scalar = z.union([
  z.string().max(metadataLimits.maxStringChars),
  z.number().refine(Number.isFinite, "must be a finite number"),
]);
const bound = z.union([z.number().refine(Number.isFinite, "must be a finite number"), z.string().min(1).max(100)]);
const rangeBounds = ["gte", "gt", "lte", "lt"] as const;

export interface MetadataFilter {
  eq?: { key: string; value: string | number };
  in?: { key: string; values: (string | number)[] };
  range?: { key: string; gte?: string | number; gt?: string | number; lte?: string | number; lt?: string | number };
  and?: MetadataFilter[];
  or?: MetadataFilter[];
}

export const metadataFilterOperators = ["eq", "in", "range", "and", "or"] as const;

const filterNode: z.ZodType<MetadataFilter> = z
  .strictObject({
    eq: z.strictObject({ key: metadataKeySchema, value: scalar }).optional(),
    in: z
      .strictObject({
        key: metadataKeySchema,
        values: z
          .array(scalar)
          .min(1, "in needs at least one value")
          .max(metadataFilterLimits.maxInValues, `in takes at most ${metadataFilterLimits.maxInValues} values`),
      })
      .optional(),
    range: z
      .strictObject({ key: metadataKeySchema, gte: bound.optional(), gt: bound.optional(), lte: bound.optional(), lt: bound.optional() })
      .superRefine((r, ctx) => {
        const given = rangeBounds.filter((b) => r[b] !== undefined);
        if (given.length === 0) ctx.addIssue({ code: "custom", message: "range needs at least one of gte, gt, lte, lt" });
        if (new Set(given.map((b) => typeof r[b])).size > 1) {
          ctx.addIssue({ code: "custom", message: "range bounds must be all numbers or all strings" });
        }
        if (r.gte !== undefined && r.gt !== undefined) ctx.addIssue({ code: "custom", message: "range takes gte or gt, not both" });
        if (r.lte !== undefined && r.lt !== undefined) ctx.addIssue({ code: "custom", message: "range takes lte or lt, not both" });
      })
      .optional(),
    get and() {
      return z
        .array(filterNode)
        .min(1, "and needs at least one filter")
        .max(metadataFilterLimits.maxChildren, `and takes at most ${metadataFilterLimits.maxChildren} filters`)
        .optional();
    },
    get or() {
      return z
        .array(filterNode)
        .min(1, "or needs at least one filter")
        .max(metadataFilterLimits.maxChildren, `or takes at most ${metadataFilterLimits.maxChildren} filters`)
        .optional();
    },
  })
  .superRefine((node, ctx) => {
    const ops = metadataFilterOperators.filter((op) => node[op] !== undefined);
    if (ops.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message:
          ops.length === 0
            ? "a filter needs one operator: eq, in, range, and, or"
            : `a filter has exactly one operator; this one has ${ops.join(" and ")} (combine them with and)`,
      });
    }
  })
  // Registered: a recursive schema is documented in OpenAPI as a component it refers to.
  .meta({ id: "MetadataFilterNode" });

/** Depth and node count of a filter (the root node at depth 1). */
export function measureMetadataFilter(filter: MetadataFilter): { depth: number; nodes: number } {
  const children = [...(filter.and ?? []), ...(filter.or ?? [])];
  let depth = 0;
  let nodes = 1;
  for (const child of children) {
    const m = measureMetadataFilter(child);
    depth = Math.max(depth, m.depth);
    nodes += m.nodes;
  }
  return { depth: depth + 1, nodes };
}

export const metadataFilterSchema = filterNode
  .superRefine((filter, ctx) => {
    const { depth, nodes } = measureMetadataFilter(filter);
    if (depth > metadataFilterLimits.maxDepth) {
      ctx.addIssue({ code: "custom", message: `filter nests ${depth} levels deep; the limit is ${metadataFilterLimits.maxDepth}` });
    }
    if (nodes > metadataFilterLimits.maxNodes) {
      ctx.addIssue({ code: "custom", message: `filter has ${nodes} operators; the limit is ${metadataFilterLimits.maxNodes}` });
    }
  })
  .meta({
    id: "MetadataFilter",
    description:
      "Documents whose metadata match: {eq:{key,value}}, {in:{key,values}}, {range:{key,gte?,gt?,lte?,lt?}} (numbers numerically, strings byte-wise, so ISO-8601 dates in one format), {and:[...]}, {or:[...]}; exactly one operator per object. On a string list, eq and in match when the list holds the value.",
  });

/**
 * Filters combined with AND (a bot's fixed widget filter and a request's): undefined when
 * none is given. The result may nest one level deeper than a request may.
 */
export function allMetadataFilters(...filters: (MetadataFilter | null | undefined)[]): MetadataFilter | undefined {
  const given = filters.filter((f): f is MetadataFilter => f != null);
  return given.length <= 1 ? given[0] : { and: given };
}
