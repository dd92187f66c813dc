/**
 * Retrieval settings (chunking, top-k, mode, min score, fusion weights, reranking,
 * neighbouring context for answers) and a live retrieval test.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Search } from "lucide-react";
import { type FormEvent, useEffect, useState } from "react";
import { api } from "../../api/client";
import type { RagConfig, RetrievalMode, RetrievedChunk } from "../../api/types";
import { useWorkspace } from "../../app/session";
import { Button } from "../../ui/button";
import { Alert, EmptyState, ErrorMessage, Loading } from "../../ui/feedback";
import { Checkbox, Field, Input, Segmented } from "../../ui/form";
import { Card } from "../../ui/layout";
import { useToast } from "../../ui/toast";
import { botKey, useBot } from "../bots/use-bot";
import { EvalCheck } from "../evals/eval-check";
import "./retrieval.css";

const modes: { value: RetrievalMode; label: string }[] = [
  { value: "hybrid", label: "Hybrid" },
  { value: "vector", label: "Vector" },
  { value: "keyword", label: "Keyword" },
];

/**
 * A fusion weight as stored, to at least two decimals: the measured default vector weight
 * is 0.01, which one decimal showed as "0.0"; finer values (0.005) keep their digits.
 */
export function formatWeight(value: number): string {
  const fixed = value.toFixed(2);
  return Math.abs(Number(fixed) - value) < 1e-9 ? fixed : String(Number(value.toFixed(4)));
}

export function validateRagConfig(c: RagConfig): Partial<Record<keyof RagConfig, string>> {
  const errors: Partial<Record<keyof RagConfig, string>> = {};
  if (!Number.isInteger(c.chunkSize) || c.chunkSize < 100 || c.chunkSize > 4000) errors.chunkSize = "Between 100 and 4000 tokens.";
  if (!Number.isInteger(c.chunkOverlap) || c.chunkOverlap < 0) errors.chunkOverlap = "A whole number, 0 or more.";
  else if (c.chunkOverlap >= c.chunkSize) errors.chunkOverlap = "Must be smaller than the chunk size.";
  if (!Number.isInteger(c.topK) || c.topK < 1 || c.topK > 50) errors.topK = "Between 1 and 50.";
  if (!(c.minScore >= 0 && c.minScore <= 1)) errors.minScore = "Between 0 and 1.";
  const topN = c.rerank?.topN ?? 20;
  if (!Number.isInteger(topN) || topN < 2 || topN > 100) errors.rerank = "Rerank between 2 and 100 candidates.";
  const ctx = c.context ?? { neighbours: 0, sameSection: false, maxTokens: 1500 };
  if (!Number.isInteger(ctx.neighbours) || ctx.neighbours < 0 || ctx.neighbours > 5) errors.context = "Neighbours: 0 to 5 chunks either side.";
  else if (!Number.isInteger(ctx.maxTokens) || ctx.maxTokens < 0 || ctx.maxTokens > 8000) errors.context = "Extra tokens: 0 to 8000.";
  return errors;
}

const contextOf = (c: RagConfig) => c.context ?? { neighbours: 0, sameSection: false, maxTokens: 1500 };

export function RetrievalPage() {
  const { botId, ref, data: bot } = useBot();
  const { canManage } = useWorkspace();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [config, setConfig] = useState<RagConfig | null>(null);
  useEffect(() => {
    if (bot) setConfig(bot.ragConfig);
  }, [bot]);
  const save = useMutation({
    mutationFn: (ragConfig: RagConfig) => api.bots.update(ref, { ragConfig }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: botKey(botId) });
      notify("Retrieval settings saved", "success");
    },
  });
  if (!bot || !config) return <Loading />;
  const errors = validateRagConfig(config);
  const chunkingChanged = config.chunkSize !== bot.ragConfig.chunkSize || config.chunkOverlap !== bot.ragConfig.chunkOverlap;
  const searchChanged =
    config.retrievalMode !== bot.ragConfig.retrievalMode ||
    JSON.stringify(config.fusionWeights) !== JSON.stringify(bot.ragConfig.fusionWeights) ||
    (config.rerank?.enabled ?? false) !== (bot.ragConfig.rerank?.enabled ?? false);
  const set = <K extends keyof RagConfig>(k: K, v: RagConfig[K]) => setConfig({ ...config, [k]: v });
  const num = (v: string) => (v === "" ? Number.NaN : Number(v));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (Object.keys(errors).length === 0) save.mutate(config);
  };

  return (
    <div className="retrieval-layout">
      <Card title="Settings">
        <form className="stack lg" onSubmit={submit}>
          <fieldset className="stack" disabled={!canManage}>
            <legend className="label">Chunking</legend>
            <div className="grid-2">
              <Field label="Chunk size (tokens)" error={errors.chunkSize}>
                <Input type="number" min={100} max={4000} value={Number.isNaN(config.chunkSize) ? "" : config.chunkSize} onChange={(e) => set("chunkSize", num(e.target.value))} />
              </Field>
              <Field label="Overlap (tokens)" error={errors.chunkOverlap}>
                <Input type="number" min={0} value={Number.isNaN(config.chunkOverlap) ? "" : config.chunkOverlap} onChange={(e) => set("chunkOverlap", num(e.target.value))} />
              </Field>
            </div>
            {chunkingChanged && <Alert tone="info">New chunk settings apply to documents indexed from now on. Re-index existing documents on the Documents tab to apply them everywhere.</Alert>}
          </fieldset>
          <fieldset className="stack" disabled={!canManage}>
            <legend className="label">Search</legend>
            <div className="field">
              <span className="label" id="mode-label">
                Mode
              </span>
              <Segmented<RetrievalMode> label="Retrieval mode" value={config.retrievalMode} options={modes} onChange={(v) => set("retrievalMode", v)} />
              <span className="hint">Hybrid fuses vector and keyword rankings; keyword ranks like BM25; vector uses embeddings.</span>
            </div>
            <div className="grid-2">
              <Field label="Top-k" hint="Chunks given to the model per question." error={errors.topK}>
                <Input type="number" min={1} max={50} value={Number.isNaN(config.topK) ? "" : config.topK} onChange={(e) => set("topK", num(e.target.value))} />
              </Field>
              <Field label={`Minimum score: ${config.minScore.toFixed(2)}`} hint="Weaker matches are dropped." error={errors.minScore}>
                <input type="range" min={0} max={1} step={0.01} value={config.minScore} onChange={(e) => set("minScore", Number(e.target.value))} />
              </Field>
            </div>
            {config.retrievalMode === "hybrid" && (
              <div className="grid-2">
                <Field label={`Vector weight: ${formatWeight(config.fusionWeights?.vector ?? 1)}`}>
                  <input type="range" min={0} max={3} step={0.01} value={config.fusionWeights?.vector ?? 1} onChange={(e) => set("fusionWeights", { vector: Number(e.target.value), keyword: config.fusionWeights?.keyword ?? 1 })} />
                </Field>
                <Field label={`Keyword weight: ${formatWeight(config.fusionWeights?.keyword ?? 1)}`}>
                  <input type="range" min={0} max={3} step={0.01} value={config.fusionWeights?.keyword ?? 1} onChange={(e) => set("fusionWeights", { keyword: Number(e.target.value), vector: config.fusionWeights?.vector ?? 1 })} />
                </Field>
              </div>
            )}
          </fieldset>
          <fieldset className="stack" disabled={!canManage}>
            <legend className="label">Reranking</legend>
            <Checkbox
              label="Rerank the best candidates with the workspace's reranker"
              checked={config.rerank?.enabled ?? false}
              onChange={(e) => set("rerank", { topN: config.rerank?.topN ?? 20, enabled: e.target.checked })}
            />
            <Field label="Candidates to rerank" hint="The mode's top N go to the reranker; the best top-k are kept. If it fails, the mode's order is used." error={errors.rerank}>
              <Input type="number" min={2} max={100} value={Number.isNaN(config.rerank?.topN) ? "" : (config.rerank?.topN ?? 20)} onChange={(e) => set("rerank", { enabled: config.rerank?.enabled ?? false, topN: num(e.target.value) })} />
            </Field>
          </fieldset>
          <fieldset className="stack" disabled={!canManage}>
            <legend className="label">Context for answers</legend>
            <div className="grid-2">
              <Field label="Neighbouring chunks" hint="Added either side of each retrieved passage, so procedures and tables stay whole." error={errors.context}>
                <Input type="number" min={0} max={5} value={Number.isNaN(config.context?.neighbours) ? "" : (config.context?.neighbours ?? 0)} onChange={(e) => set("context", { ...contextOf(config), neighbours: num(e.target.value) })} />
              </Field>
              <Field label="Extra tokens at most" hint="All widened passages together.">
                <Input type="number" min={0} max={8000} value={Number.isNaN(config.context?.maxTokens) ? "" : (config.context?.maxTokens ?? 1500)} onChange={(e) => set("context", { ...contextOf(config), maxTokens: num(e.target.value) })} />
              </Field>
            </div>
            <Checkbox
              label="Add the rest of the passage's section (same heading)"
              checked={config.context?.sameSection ?? false}
              onChange={(e) => set("context", { ...contextOf(config), sameSection: e.target.checked })}
            />
          </fieldset>
          <ErrorMessage error={save.error} />
          {canManage && searchChanged && Object.keys(errors).length === 0 && <EvalCheck botId={botId} saved={bot.ragConfig} proposed={config} />}
          {canManage && (
            <div className="row">
              <Button type="submit" variant="primary" loading={save.isPending} disabled={Object.keys(errors).length > 0}>
                Save settings
              </Button>
              <Button onClick={() => setConfig(bot.ragConfig)}>Reset</Button>
            </div>
          )}
        </form>
      </Card>
      <TestPanel botId={botId} defaultMode={config.retrievalMode} topK={Number.isNaN(config.topK) ? 5 : config.topK} minScore={config.minScore} />
    </div>
  );
}

function TestPanel({ botId, defaultMode, topK, minScore }: { botId: string; defaultMode: RetrievalMode; topK: number; minScore: number }) {
  const [query, setQuery] = useState("");
  const [mode, setMode] = useState<RetrievalMode>(defaultMode);
  useEffect(() => setMode(defaultMode), [defaultMode]);
  const run = useMutation({ mutationFn: () => api.chat.retrieve(botId, { query: query.trim(), mode, topK, minScore }) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (query.trim()) run.mutate();
  };
  return (
    <Card title="Test retrieval">
      <div className="stack">
        <form className="stack" onSubmit={submit}>
          <Field label="Question">
            <Input value={query} onChange={(e) => setQuery(e.target.value)} placeholder="How do I reset my password?" />
          </Field>
          <div className="row wrap">
            <Segmented<RetrievalMode> label="Mode to test" value={mode} options={modes} onChange={setMode} />
            <span className="spacer" />
            <Button type="submit" variant="primary" icon={<Search aria-hidden="true" />} loading={run.isPending} disabled={!query.trim()}>
              Retrieve
            </Button>
          </div>
        </form>
        <ErrorMessage error={run.error} />
        {run.isSuccess &&
          (run.data.length === 0 ? (
            <EmptyState title="No chunks matched">Nothing scored above the minimum score. Try other words, a lower minimum score, or check that documents are processed.</EmptyState>
          ) : (
            <ol className="chunk-results" aria-label="Retrieved chunks">
              {run.data.map((c) => (
                <ChunkResult key={c.chunkId} chunk={c} />
              ))}
            </ol>
          ))}
        {!run.isSuccess && !run.error && <p className="small muted">See which passages the bot would read for a question, and how each mode ranked them.</p>}
      </div>
    </Card>
  );
}

function ModeScore({ label, value }: { label: string; value?: { rank: number; score: number } | undefined }) {
  return (
    <div className="mode-score">
      <span className="small muted">{label}</span>
      {value ? (
        <span>
          #{value.rank} · {value.score.toFixed(3)}
        </span>
      ) : (
        <span className="subtle">not ranked</span>
      )}
    </div>
  );
}

function ChunkResult({ chunk }: { chunk: RetrievedChunk }) {
  const where = [chunk.page ? `p. ${chunk.page}` : null, chunk.headingPath?.length ? chunk.headingPath.join(" › ") : null].filter(Boolean).join(" · ");
  return (
    <li className="chunk-result">
      <div className="row">
        <span className="rank">{chunk.rank}</span>
        <strong className="truncate">{chunk.documentName}</strong>
        {where && <span className="small muted truncate">{where}</span>}
        <span className="spacer" />
        <span className="badge primary plain">score {chunk.score.toFixed(3)}</span>
      </div>
      <p className="chunk-snippet">{chunk.content}</p>
      <div className="row wrap" style={{ gap: 16 }}>
        <ModeScore label="Vector" value={chunk.vector} />
        <ModeScore label="Keyword" value={chunk.keyword} />
        {chunk.hybrid && <ModeScore label="Hybrid" value={chunk.hybrid} />}
        {chunk.rerank && <ModeScore label="Reranker" value={chunk.rerank} />}
      </div>
    </li>
  );
}
