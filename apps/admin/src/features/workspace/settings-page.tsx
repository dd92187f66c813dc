/**
 * Workspace model providers (BYOK). Keys are write-only: the API returns only a hint
 * (`sk-...abcd`), the field stays empty, and an empty field on save leaves the key as is.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound } from "lucide-react";
import { type FormEvent, useEffect, useState } from "react";
import { api } from "../../api/client";
import type { PlatformDefaults, Provider, ProviderSettings, TenantSettings } from "../../api/types";
import { useWorkspace } from "../../app/session";
import { Button } from "../../ui/button";
import { Alert, ErrorMessage, Loading } from "../../ui/feedback";
import { Checkbox, Field, Input, Select } from "../../ui/form";
import { Card, PageHeader } from "../../ui/layout";
import { useToast } from "../../ui/toast";

const providers: { value: Provider | ""; label: string }[] = [
  { value: "", label: "Platform default" },
  { value: "openai", label: "OpenAI" },
  { value: "openai_compatible", label: "OpenAI-compatible endpoint" },
  { value: "ollama", label: "Ollama" },
  { value: "vllm", label: "vLLM" },
  { value: "lmstudio", label: "LM Studio" },
  { value: "local", label: "Built-in (offline)" },
];

interface Section {
  provider: Provider | "";
  baseUrl: string;
  model: string;
  key: string;
  clearKey: boolean;
}

export interface ProviderPatch {
  provider: Provider | null;
  baseUrl: string | null;
  model: string | null;
  apiKey?: string | null;
}

/** One provider's PATCH body: an untouched key field is omitted (keeps the stored key), never sent empty. */
export function settingsPatch(s: Section): ProviderPatch {
  const body: ProviderPatch = { provider: s.provider || null, baseUrl: s.baseUrl.trim() || null, model: s.model.trim() || null };
  if (s.clearKey) body.apiKey = null;
  else if (s.key.trim()) body.apiKey = s.key.trim();
  return body;
}

/** What "Platform default" means here, as the chat service reports it. */
export function platformDefaultLabel(kind: "llm" | "embedding", defaults: PlatformDefaults | undefined): string {
  if (!defaults) return "Platform default";
  if (kind === "llm") return defaults.llm.extractive ? "Platform default (offline extractive answers)" : `Platform default (${defaults.llm.model})`;
  return `Platform default (${defaults.embedding.model ?? defaults.embedding.provider})`;
}

type RerankProvider = NonNullable<TenantSettings["rerank"]["provider"]>;
const rerankers: { value: RerankProvider | ""; label: string }[] = [
  { value: "", label: "None (or the platform's, if it has one)" },
  { value: "tei", label: "Text Embeddings Inference (/rerank)" },
  { value: "cohere", label: "Cohere" },
  { value: "jina", label: "Jina" },
  { value: "vllm", label: "vLLM (/v1/rerank)" },
];

interface RerankSection {
  provider: RerankProvider | "";
  url: string;
  model: string;
  key: string;
  clearKey: boolean;
}

const fromRerank = (s: TenantSettings["rerank"] | undefined): RerankSection => ({ provider: s?.provider ?? "", url: s?.url ?? "", model: s?.model ?? "", key: "", clearKey: false });

/** The reranker's PATCH body, keys handled as for the model providers. */
export function rerankPatch(s: RerankSection) {
  const body: { provider: RerankProvider | null; url: string | null; model: string | null; apiKey?: string | null } = {
    provider: s.provider || null,
    url: s.url.trim() || null,
    model: s.model.trim() || null,
  };
  if (s.clearKey) body.apiKey = null;
  else if (s.key.trim()) body.apiKey = s.key.trim();
  return body;
}

const fromSettings = (s: ProviderSettings | undefined): Section => ({
  provider: s?.provider ?? "",
  baseUrl: s?.baseUrl ?? "",
  model: s?.model ?? "",
  key: "",
  clearKey: false,
});

export function SettingsPage() {
  const { workspaceId, canManage } = useWorkspace();
  const queryClient = useQueryClient();
  const notify = useToast();
  const key = ["settings", workspaceId];
  const settings = useQuery({ queryKey: key, queryFn: () => api.workspaces.settings(workspaceId) });
  const defaults = useQuery({ queryKey: ["platform-defaults"], queryFn: () => api.chat.platformDefaults(), staleTime: 5 * 60_000 });
  const [llm, setLlm] = useState<Section>(fromSettings(undefined));
  const [emb, setEmb] = useState<Section>(fromSettings(undefined));
  const [rerank, setRerank] = useState<RerankSection>(fromRerank(undefined));
  useEffect(() => {
    if (settings.data) {
      setLlm(fromSettings(settings.data.llm));
      setEmb(fromSettings(settings.data.embedding));
      setRerank(fromRerank(settings.data.rerank));
    }
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () => api.workspaces.updateSettings(workspaceId, { llm: settingsPatch(llm), embedding: settingsPatch(emb), rerank: rerankPatch(rerank) }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: key });
      notify("Settings saved", "success");
    },
  });
  if (settings.isPending) return <Loading />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const embeddingChanged = settings.data && (emb.provider !== (settings.data.embedding.provider ?? "") || emb.model !== (settings.data.embedding.model ?? ""));
  return (
    <>
      <PageHeader title="Workspace settings" description="Bring your own model provider and keys. Without them, Docent uses the platform defaults." />
      {settings.error ? (
        <ErrorMessage error={settings.error} title="Could not load settings" />
      ) : (
        <form className="stack lg" onSubmit={submit} style={{ maxWidth: 860 }}>
          <ProviderCard title="Answer model (LLM)" section={llm} onChange={setLlm} hint={settings.data?.llm.hasApiKey ? (settings.data.llm.apiKeyHint ?? "saved") : null} disabled={!canManage} modelPlaceholder="gpt-4o-mini" defaultLabel={platformDefaultLabel("llm", defaults.data)} defaultModel={defaults.data && !defaults.data.llm.extractive ? (defaults.data.llm.model ?? undefined) : undefined} />
          <ProviderCard title="Embedding model" section={emb} onChange={setEmb} hint={settings.data?.embedding.hasApiKey ? (settings.data.embedding.apiKeyHint ?? "saved") : null} disabled={!canManage} modelPlaceholder="text-embedding-3-small" defaultLabel={platformDefaultLabel("embedding", defaults.data)} defaultModel={defaults.data?.embedding.model ?? undefined} />
          {embeddingChanged && <Alert tone="warning">Changing the embedding model means existing documents must be re-indexed before questions can be answered with it.</Alert>}
          <RerankCard section={rerank} onChange={setRerank} hint={settings.data?.rerank?.hasApiKey ? (settings.data.rerank.apiKeyHint ?? "saved") : null} disabled={!canManage} />
          <ErrorMessage error={save.error} />
          {canManage && (
            <div>
              <Button type="submit" variant="primary" loading={save.isPending}>
                Save settings
              </Button>
            </div>
          )}
        </form>
      )}
    </>
  );
}

function ProviderCard({
  title,
  section,
  onChange,
  hint,
  disabled,
  modelPlaceholder,
  defaultLabel,
  defaultModel,
}: {
  title: string;
  section: Section;
  onChange(s: Section): void;
  hint: string | null | undefined;
  disabled: boolean;
  modelPlaceholder: string;
  /** "Platform default (model)": the platform's real default, from the chat service. */
  defaultLabel: string;
  defaultModel: string | undefined;
}) {
  const set = (change: Partial<Section>) => onChange({ ...section, ...change });
  return (
    <Card title={title}>
      <fieldset className="stack" disabled={disabled} style={{ border: "none", padding: 0, margin: 0 }}>
        <div className="grid-2">
          <Field label="Provider">
            <Select value={section.provider} onChange={(e) => set({ provider: e.target.value as Provider | "" })}>
              {providers.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.value === "" ? defaultLabel : p.label}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Model">
            <Input value={section.model} onChange={(e) => set({ model: e.target.value })} placeholder={section.provider === "" ? (defaultModel ?? "") : modelPlaceholder} />
          </Field>
        </div>
        <Field label="Base URL" hint="Required for every provider but OpenAI, e.g. https://ollama.example.com/v1. It must be a public address unless the operator allows private model servers.">
          <Input type="url" value={section.baseUrl} onChange={(e) => set({ baseUrl: e.target.value })} placeholder="https://api.openai.com/v1" />
        </Field>
        <Field label="API key" hint={hint ? `A key is saved (${hint}). Type a new one to replace it; it is never shown again.` : "Stored encrypted and never shown again."}>
          <Input type="password" autoComplete="off" value={section.key} onChange={(e) => set({ key: e.target.value, clearKey: false })} placeholder={hint ?? "sk-…"} />
        </Field>
        {hint && (
          <div className="row small muted">
            <KeyRound aria-hidden="true" style={{ width: 14 }} />
            <Checkbox label="Remove the saved key" checked={section.clearKey} onChange={(e) => set({ clearKey: e.target.checked, key: "" })} />
          </div>
        )}
      </fieldset>
    </Card>
  );
}

function RerankCard({ section, onChange, hint, disabled }: { section: RerankSection; onChange(s: RerankSection): void; hint: string | null | undefined; disabled: boolean }) {
  const set = (change: Partial<RerankSection>) => onChange({ ...section, ...change });
  return (
    <Card title="Reranker (optional)">
      <fieldset className="stack" disabled={disabled} style={{ border: "none", padding: 0, margin: 0 }}>
        <p className="small muted">Bots that turn reranking on (Retrieval tab) send their best candidates here; if it fails or is slow, their own ranking is used.</p>
        <div className="grid-2">
          <Field label="Provider">
            <Select value={section.provider} onChange={(e) => set({ provider: e.target.value as RerankProvider | "" })}>
              {rerankers.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Model">
            <Input value={section.model} onChange={(e) => set({ model: e.target.value })} placeholder="rerank-v3.5" />
          </Field>
        </div>
        <Field label="Endpoint URL" hint="The full rerank endpoint, e.g. http://tei.example.com/rerank; Cohere and Jina have defaults. Public addresses only unless the operator allows private model servers.">
          <Input type="url" value={section.url} onChange={(e) => set({ url: e.target.value })} placeholder="https://api.cohere.com/v2/rerank" />
        </Field>
        <Field label="API key" hint={hint ? `A key is saved (${hint}). Type a new one to replace it.` : "Stored encrypted and never shown again."}>
          <Input type="password" autoComplete="off" value={section.key} onChange={(e) => set({ key: e.target.value, clearKey: false })} placeholder={hint ?? ""} />
        </Field>
        {hint && <Checkbox label="Remove the saved key" checked={section.clearKey} onChange={(e) => set({ clearKey: e.target.checked, key: "" })} />}
      </fieldset>
    </Card>
  );
}
