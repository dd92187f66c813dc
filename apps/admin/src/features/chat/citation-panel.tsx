/** The source behind a citation: document, page, heading path and the chunk's text. */
import { FileText, X } from "lucide-react";
import type { Citation } from "../../api/types";

export function CitationPanel({ citation, onClose }: { citation: Citation; onClose(): void }) {
  const where = [citation.page ? `Page ${citation.page}` : null, citation.headingPath?.length ? citation.headingPath.join(" › ") : null].filter(Boolean).join(" · ");
  return (
    <aside className="card citation-panel" aria-label={`Source ${citation.index}`}>
      <div className="card-header">
        <span className="cite static" aria-hidden="true">
          {citation.index}
        </span>
        <h3 className="truncate">{citation.documentName}</h3>
        <button type="button" className="btn ghost icon sm" aria-label="Close source" onClick={onClose}>
          <X aria-hidden="true" />
        </button>
      </div>
      <div className="card-body stack">
        {where && (
          <div className="small muted row">
            <FileText aria-hidden="true" style={{ width: 14 }} /> {where}
          </div>
        )}
        {typeof citation.score === "number" && <div className="small muted">Relevance {citation.score.toFixed(3)}</div>}
        <blockquote className="chunk-text">{citation.content ?? "The text of this source was not included in the answer."}</blockquote>
      </div>
    </aside>
  );
}
