/** Line diff of a prompt version against the active one (added lines green, removed red). */
import { diffLines } from "diff";

export function PromptDiff({ from, to }: { from: string; to: string }) {
  const parts = diffLines(from, to);
  const changed = parts.some((p) => p.added || p.removed);
  if (!changed) return <p className="muted small">This version is identical to the active one.</p>;
  return (
    <pre className="diff" aria-label="Differences from the active prompt">
      {parts.map((part, i) =>
        part.value
          .replace(/\n$/, "")
          .split("\n")
          .map((line, j) => (
            <div key={`${i}-${j}`} className={part.added ? "diff-add" : part.removed ? "diff-del" : "diff-same"}>
              <span aria-hidden="true" className="diff-sign">
                {part.added ? "+" : part.removed ? "−" : " "}
              </span>
              <span className="sr-only">{part.added ? "added: " : part.removed ? "removed: " : ""}</span>
              {line || " "}
            </div>
          )),
      )}
    </pre>
  );
}
