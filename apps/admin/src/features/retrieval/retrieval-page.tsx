/**
 * Retrieval settings (chunking, top-k, mode, min score, fusion weights, reranking,
 * neighbouring context for answers) and a live retrieval test. The settings form
 * validates with the API's own rag config schema.
 */
import { botSchema } from "@docent/contracts/bots";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Search } from "lucide-react";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { type FieldError, useForm } from "react-hook-form";
import { api } from "../../api/client";
import type { Bot, RagConfig, RetrievalMode, RetrievedChunk } from "../../api/types";
import { useWorkspace } from "../../app/session";
import { schemaResolver } from "../../lib/schema-form";
import { Button } from "../../ui/button";
import { Alert, EmptyState, ErrorMessage, Loading } from "../../ui/feedback";
import { Checkbox, Field, Input, Segmented, Textarea } from "../../ui/form";
import { Card } from "../../ui/layout";
import { useToast } from "../../ui/toast";
import { botKey, useBot } from "../bots/use-bot";
import { EvalCheck } from "../evals/eval-check";
import { parseFilter } from "../metadata/metadata-json";
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

/** The API's own rag config schema: the form refuses what the API would refuse. */
export const ragConfigSchema = botSchema.shape.ragConfig;

/** A stored config with the defaults of settings added since it was saved, as the API reads it. */
export function withDefaults(stored: RagConfig): RagConfig {
  const parsed = ragConfigSchema.safeParse(stored);
  return parsed.success ? parsed.data : stored;
}

export const ragConfigResolver = schemaResolver<typeof ragConfigSchema, RagConfig>(ragConfigSchema);

/** The overlap field's message: the shared schema words its overlap rule for developers. */
export const overlapMessage = (error: FieldError | undefined) => (error?.type === "custom" ? "Must be smaller than the chunk size." : error?.message);

const asNumber = { valueAsNumber: true } as const;

export function RetrievalPage() {
  const { data: bot } = useBot();
  if (!bot) return <Loading />;
  return <RetrievalSettings bot={bot} />;
}

function RetrievalSettings({ bot }: { bot: Bot }) {
  const { botId, ref } = useBot();
  const { canManage } = useWorkspace();
  const queryClient = useQueryClient();
  const notify = useToast();
  const saved = useMemo(() => withDefaults(bot.ragConfig), [bot.ragConfig]);
  const { register, handleSubmit, reset, setValue, watch, formState: { errors } } = useForm<RagConfig, unknown, RagConfig>({ resolver: ragConfigResolver, values: saved, mode: "onChange" });
  const save = useMutation({
    mutationFn: (ragConfig: RagConfig) => api.bots.update(ref, { ragConfig }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: botKey(botId) });
      notify("Retrieval settings saved", "success");
    },
  });
  const config = watch();
  const invalid = Object.keys(errors).length > 0;
  const chunkingChanged = config.chunkSize !== saved.chunkSize || config.chunkOverlap !== saved.chunkOverlap;
  const searchChanged =
    config.retrievalMode !== saved.retrievalMode ||
    config.fusionWeights.vector !== saved.fusionWeights.vector ||
    config.fusionWeights.keyword !== saved.fusionWeights.keyword ||
    config.rerank.enabled !== saved.rerank.enabled;

  return (
    <div className="retrieval-layout">
      <Card title="Settings">
        <form className="stack lg" onSubmit={handleSubmit((ragConfig) => save.mutate(ragConfig))}>
          <fieldset className="stack" disabled={!canManage}>
            <legend className="label">Chunking</legend>
            <div className="grid-2">
              <Field label="Chunk size (tokens)" error={errors.chunkSize?.message}>
                <Input type="number" min={100} max={4000} {...register("chunkSize", { ...asNumber, deps: ["chunkOverlap"] })} />
              </Field>
              <Field label="Overlap (tokens)" error={overlapMessage(errors.chunkOverlap)}>
                <Input type="number" min={0} {...register("chunkOverlap", asNumber)} />
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
              <Segmented<RetrievalMode> label="Retrieval mode" value={config.retrievalMode} options={modes} onChange={(v) => setValue("retrievalMode", v, { shouldDirty: true })} />
              <span className="hint">Hybrid fuses vector and keyword rankings; keyword ranks like BM25; vector uses embeddings.</span>
            </div>
            <div className="grid-2">
              <Field label="Top-k" hint="Chunks given to the model per question." error={errors.topK?.message}>
                <Input type="number" min={1} max={50} {...register("topK", asNumber)} />
              </Field>
              <Field label={`Minimum score: ${config.minScore.toFixed(2)}`} hint="Weaker matches are dropped." error={errors.minScore?.message}>
                <input type="range" min={0} max={1} step={0.01} {...register("minScore", asNumber)} />
              </Field>
            </div>
            {config.retrievalMode === "hybrid" && (
              <div className="grid-2">
                <Field label={`Vector weight: ${formatWeight(config.fusionWeights.vector)}`}>
                  <input type="range" min={0} max={3} step={0.01} {...register("fusionWeights.vector", asNumber)} />
                </Field>
                <Field label={`Keyword weight: ${formatWeight(config.fusionWeights.keyword)}`}>
                  <input type="range" min={0} max={3} step={0.01} {...register("fusionWeights.keyword", asNumber)} />
                </Field>
              </div>
            )}
          </fieldset>
          <fieldset className="stack" disabled={!canManage}>
            <legend className="label">Reranking</legend>
            <Checkbox label="Rerank the best candidates with the workspace's reranker" {...register("rerank.enabled")} />
            <Field label="Candidates to rerank" hint="The mode's top N go to the reranker; the best top-k are kept. If it fails, the mode's order is used." error={errors.rerank?.topN?.message}>
              <Input type="number" min={2} max={100} {...register("rerank.topN", asNumber)} />
            </Field>
          </fieldset>
          <fieldset className="stack" disabled={!canManage}>
            <legend className="label">Context for answers</legend>
            <div className="grid-2">
              <Field label="Neighbouring chunks" hint="Added either side of each retrieved passage, so procedures and tables stay whole." error={errors.context?.neighbours?.message}>
                <Input type="number" min={0} max={5} {...register("context.neighbours", asNumber)} />
              </Field>
              <Field label="Extra tokens at most" hint="All widened passages together." error={errors.context?.maxTokens?.message}>
                <Input type="number" min={0} max={8000} {...register("context.maxTokens", asNumber)} />
              </Field>
            </div>
            <Checkbox label="Add the rest of the passage's section (same heading)" {...register("context.sameSection")} />
          </fieldset>
          <ErrorMessage error={save.error} />
          {canManage && searchChanged && !invalid && <EvalCheck botId={botId} saved={bot.ragConfig} proposed={config} />}
          {canManage && (
            <div className="row">
              <Button type="submit" variant="primary" loading={save.isPending} disabled={invalid}>
                Save settings
              </Button>
              <Button onClick={() => reset(saved)}>Reset</Button>
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
  const [filterText, setFilterText] = useState("");
  const filter = parseFilter(filterText);
  useEffect(() => setMode(defaultMode), [defaultMode]);
  const run = useMutation({
    mutationFn: () => api.chat.retrieve(botId, { query: query.trim(), mode, topK, minScore, ...(filter.ok && filter.value ? { filter: filter.value } : {}) }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (query.trim() && filter.ok) run.mutate();
  };
  return (
    <Card title="Test retrieval">
      <div className="stack">
        <form className="stack" onSubmit={submit}>
          <Field label="Question">
            <Input value={query} onChange={(e) => setQuery(e.target.value)} placeholder="How do I reset my password?" />
          </Field>
          <Field label="Metadata filter (optional)" hint='Only documents whose metadata match, e.g. {"eq": {"key": "lang", "value": "en"}}.' error={filter.ok ? undefined : filter.error}>
            <Textarea code rows={2} value={filterText} onChange={(e) => setFilterText(e.target.value)} spellCheck={false} />
          </Field>
          <div className="row wrap">
            <Segmented<RetrievalMode> label="Mode to test" value={mode} options={modes} onChange={setMode} />
            <span className="spacer" />
            <Button type="submit" variant="primary" icon={<Search aria-hidden="true" />} loading={run.isPending} disabled={!query.trim() || !filter.ok}>
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
