/**
 * The add-source form: text fields turned into the API's body. Path patterns are typed one
 * per line; the bounds and their messages are the API's own (`@docent/contracts/sources`).
 */
import { createSourceBodySchema } from "@docent/contracts/sources";
import { z } from "zod";

const shape = createSourceBodySchema.shape;
const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

export const sourceFormSchema = z.object({
  url: shape.url,
  kind: z.enum(["website", "sitemap"]),
  schedule: z.enum(["manual", "hourly", "daily", "weekly"]),
  maxPages: z.coerce.number<string>().pipe(z.number().int("Use a whole number.").min(1, "Must be at least 1.").max(10_000, "Must be at most 10000.")),
  maxDepth: z.coerce.number<string>().pipe(z.number().int("Use a whole number.").min(0, "Must be at least 0.").max(20, "Must be at most 20.")),
  includePatterns: z.string().transform(lines).pipe(shape.includePatterns.unwrap()),
  excludePatterns: z.string().transform(lines).pipe(shape.excludePatterns.unwrap()),
});

export type SourceFormState = z.input<typeof sourceFormSchema>;
export type SourceFormValues = z.output<typeof sourceFormSchema>;

export const emptySourceForm: SourceFormState = {
  url: "",
  kind: "website",
  schedule: "daily",
  maxPages: "50",
  maxDepth: "3",
  includePatterns: "",
  excludePatterns: "",
};
