/**
 * Forms validate with the API's own zod schemas (`@docent/contracts`), so a form refuses
 * exactly what the API would and the bounds live in one place. Where a shared schema has
 * no message of its own, zod's wording ("Too big: expected number to be <=4000") is meant
 * for developers; `readableIssue` gives the field a sentence instead. Messages written
 * in a schema (e.g. "bots cannot be negative") are shown as they are.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import type { FieldValues, Resolver } from "react-hook-form";
import type * as z4 from "zod/v4/core";

export function readableIssue(issue: z4.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "too_small":
      if (issue.origin === "number") return `Must be ${issue.inclusive ? "at least" : "more than"} ${issue.minimum}.`;
      if (issue.origin === "string") return Number(issue.minimum) <= 1 ? "Required." : `Use at least ${issue.minimum} characters.`;
      return undefined;
    case "too_big":
      if (issue.origin === "number") return `Must be ${issue.inclusive ? "at most" : "less than"} ${issue.maximum}.`;
      if (issue.origin === "string") return `Use at most ${issue.maximum} characters.`;
      return undefined;
    case "invalid_type":
      if (issue.expected === "int") return "Use a whole number.";
      if (issue.expected === "number") return "Enter a number.";
      return undefined;
    default:
      return undefined;
  }
}

/**
 * A react-hook-form resolver for `schema` that words its issues with `readableIssue`.
 * `Values` may be narrower than the schema's input (a form that always holds every field
 * of a schema with defaults); such values are still valid input, so the resolver applies.
 */
export function schemaResolver<Schema extends z4.$ZodType<unknown, FieldValues>, Values extends z4.input<Schema> & FieldValues = z4.input<Schema> & FieldValues>(
  schema: Schema,
): Resolver<Values, unknown, z4.output<Schema>> {
  return zodResolver(schema, { error: readableIssue }) as unknown as Resolver<Values, unknown, z4.output<Schema>>;
}
