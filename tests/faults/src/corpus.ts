/** Text documents for ingestion under faults: Markdown with many distinct paragraphs. */
export function handbook(title: string, sections: number): string {
  const parts: string[] = [`# ${title}`];
  for (let i = 0; i < sections; i++) {
    parts.push(`## ${title}: procedure ${i}`);
    for (let p = 0; p < 6; p++) {
      parts.push(
        `Step ${i}.${p} of ${title}: inspect valve ${i * 7 + p} and record the pressure reading in log ${i}. ` +
          `If the reading for valve ${i * 7 + p} exceeds the threshold, notify duty engineer ${p} and wait for approval.`,
      );
    }
  }
  return parts.join("\n\n");
}
