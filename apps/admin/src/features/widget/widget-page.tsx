/** The embeddable widget: appearance (with a live preview of the real widget), allowed origins, embed code. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, Copy, Globe, Plus, Trash2 } from "lucide-react";
import { type FormEvent, useEffect, useState } from "react";
import { normalizeOrigin } from "@docent/contracts/origins";
import { defaultWidgetConfig } from "@docent/widget/config";
import { type BotRef, api } from "../../api/client";
import type { WidgetSettings } from "../../api/types";
import { useWorkspace } from "../../app/session";
import { Button } from "../../ui/button";
import { Alert, EmptyState, ErrorMessage, Loading } from "../../ui/feedback";
import { Checkbox, Field, Input, Segmented, Select } from "../../ui/form";
import { Card } from "../../ui/layout";
import { useToast } from "../../ui/toast";
import { useBot } from "../bots/use-bot";
import { WidgetPreview } from "./widget-preview";
import "./widget.css";

const HEX = /^#[0-9a-fA-F]{6}$/;

/** The widget's own defaults (what a visitor sees before any customisation), minus the bot name. */
const { botName: _botName, ...widgetDefaults } = defaultWidgetConfig;
export const defaultWidgetSettings: WidgetSettings = widgetDefaults;

/** Only the fields the update endpoint accepts (the GET answer also carries botId, updatedAt). */
export function editable(data: Partial<WidgetSettings> | undefined): WidgetSettings {
  const out = { ...defaultWidgetSettings };
  for (const key of Object.keys(defaultWidgetSettings) as (keyof WidgetSettings)[]) {
    if (data && data[key] !== undefined) (out as Record<string, unknown>)[key] = data[key];
  }
  return out;
}

export function embedSnippet(publicId: string, origin: string): string {
  return `<script src="${origin}/widget.js" data-bot="${publicId}" defer></script>`;
}

export function WidgetPage() {
  const { botId, ref, data: bot } = useBot();
  const { canManage } = useWorkspace();
  const queryClient = useQueryClient();
  const notify = useToast();
  const widget = useQuery({ queryKey: ["widget", botId], queryFn: () => api.widget.get(ref) });
  const [draft, setDraft] = useState<WidgetSettings | null>(null);
  useEffect(() => {
    if (widget.data) setDraft(editable(widget.data));
  }, [widget.data]);
  const save = useMutation({
    mutationFn: (s: WidgetSettings) => {
      const { avatarUrl, ...rest } = s;
      return api.widget.update(ref, { ...rest, ...(avatarUrl ? { avatarUrl } : { avatarUrl: null }) });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["widget", botId] });
      notify("Widget saved. Sites using it pick up the change on their next page load.", "success");
    },
  });

  if (widget.isPending || !bot) return <Loading />;
  if (widget.error) return <ErrorMessage error={widget.error} title="Could not load the widget settings" />;
  if (!draft) return <Loading />;
  const set = <K extends keyof WidgetSettings>(k: K, v: WidgetSettings[K]) => setDraft({ ...draft, [k]: v });
  const colorError = (v: string) => (HEX.test(v) ? undefined : "Use a hex colour like #2563eb.");
  const invalid = [draft.primaryColor, draft.textColor, draft.backgroundColor].some((c) => !HEX.test(c)) || !draft.headerText.trim();
  const dirty = JSON.stringify(draft) !== JSON.stringify(editable(widget.data));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!invalid) save.mutate(draft);
  };

  return (
    <div className="stack lg">
      <div className="widget-layout">
        <Card title="Appearance">
          <form className="stack" onSubmit={submit}>
            <fieldset className="stack" disabled={!canManage}>
              <Field label="Header text">
                <Input value={draft.headerText} maxLength={100} onChange={(e) => set("headerText", e.target.value)} />
              </Field>
              <Field label="Greeting">
                <Input value={draft.initialGreeting} maxLength={500} onChange={(e) => set("initialGreeting", e.target.value)} />
              </Field>
              <Field label="Input placeholder">
                <Input value={draft.inputPlaceholder} maxLength={120} onChange={(e) => set("inputPlaceholder", e.target.value)} />
              </Field>
              <div className="grid-3">
                <ColorField label="Primary colour" value={draft.primaryColor} error={colorError(draft.primaryColor)} onChange={(v) => set("primaryColor", v)} />
                <ColorField label="Text on primary" value={draft.textColor} error={colorError(draft.textColor)} onChange={(v) => set("textColor", v)} />
                <ColorField label="Background" value={draft.backgroundColor} error={colorError(draft.backgroundColor)} onChange={(v) => set("backgroundColor", v)} />
              </div>
              <div className="grid-2">
                <div className="field">
                  <span className="label">Theme</span>
                  <Segmented
                    label="Theme"
                    value={draft.theme}
                    options={[
                      { value: "light", label: "Light" },
                      { value: "dark", label: "Dark" },
                      { value: "auto", label: "Auto" },
                    ]}
                    onChange={(v) => set("theme", v)}
                  />
                </div>
                <Field label="Position">
                  <Select value={draft.position} onChange={(e) => set("position", e.target.value as WidgetSettings["position"])}>
                    <option value="bottom-right">Bottom right</option>
                    <option value="bottom-left">Bottom left</option>
                  </Select>
                </Field>
              </div>
              <div className="grid-2">
                <Field label={`Width: ${draft.width}px`}>
                  <input type="range" min={280} max={800} step={10} value={draft.width} onChange={(e) => set("width", Number(e.target.value))} />
                </Field>
                <Field label={`Height: ${draft.height}px`}>
                  <input type="range" min={360} max={1000} step={10} value={draft.height} onChange={(e) => set("height", Number(e.target.value))} />
                </Field>
              </div>
              <Checkbox label="Show sources under answers" checked={draft.showSources} onChange={(e) => set("showSources", e.target.checked)} />
            </fieldset>
            <ErrorMessage error={save.error} />
            {canManage && (
              <div className="row">
                <Button type="submit" variant="primary" loading={save.isPending} disabled={invalid || !dirty}>
                  Save appearance
                </Button>
                {dirty && (
                  <Button onClick={() => setDraft(editable(widget.data))} disabled={save.isPending}>
                    Discard changes
                  </Button>
                )}
              </div>
            )}
          </form>
        </Card>
        <Card title="Live preview" padded={false}>
          <WidgetPreview botId={botId} publicId={bot.publicId} settings={draft} botName={bot.name} />
        </Card>
      </div>
      <div className="grid-2">
        <OriginsCard botRef={ref} canManage={canManage} />
        <EmbedCard publicId={bot.publicId} />
      </div>
    </div>
  );
}

function ColorField({ label, value, error, onChange }: { label: string; value: string; error: string | undefined; onChange(v: string): void }) {
  return (
    <Field label={label} error={error}>
      <div className="color-input">
        <input type="color" className="input color" aria-label={`${label} picker`} value={HEX.test(value) ? value : "#000000"} onChange={(e) => onChange(e.target.value)} />
        <Input value={value} maxLength={7} onChange={(e) => onChange(e.target.value.trim())} aria-label={`${label} hex value`} spellCheck={false} />
      </div>
    </Field>
  );
}

function OriginsCard({ botRef, canManage }: { botRef: BotRef; canManage: boolean }) {
  const queryClient = useQueryClient();
  const key = ["origins", botRef.botId];
  const origins = useQuery({ queryKey: key, queryFn: () => api.widget.origins(botRef) });
  const [value, setValue] = useState("");
  const [invalid, setInvalid] = useState<string | undefined>();
  const add = useMutation({
    mutationFn: () => api.widget.addOrigin(botRef, value.trim()),
    onSuccess: async () => {
      setValue("");
      await queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.widget.removeOrigin(botRef, id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  return (
    <Card title="Allowed origins">
      <div className="stack">
        <p className="small muted">The widget only answers on these sites. An empty list allows no site. Wildcards work for subdomains, like https://*.example.com.</p>
        {canManage && (
          <form
            className="add-source"
            onSubmit={(e) => {
              e.preventDefault();
              const checked = normalizeOrigin(value);
              setInvalid(checked.ok ? undefined : `Not a valid origin: ${checked.reason}.`);
              if (checked.ok) add.mutate();
            }}
          >
            <Field label="Origin" error={invalid}>
              <Input value={value} onChange={(e) => setValue(e.target.value)} placeholder="https://www.example.com" />
            </Field>
            <Button type="submit" icon={<Plus aria-hidden="true" />} loading={add.isPending}>
              Add origin
            </Button>
          </form>
        )}
        <ErrorMessage error={add.error ?? remove.error} />
        {origins.isPending ? (
          <Loading />
        ) : origins.error ? (
          <ErrorMessage error={origins.error} />
        ) : origins.data.length === 0 ? (
          <Alert tone="warning">No origins yet: the widget will refuse to answer on every site until you add one.</Alert>
        ) : (
          <ul className="origin-list" aria-label="Allowed origins">
            {origins.data.map((o) => (
              <li key={o.id}>
                <Globe aria-hidden="true" />
                <code>{o.origin}</code>
                <span className="spacer" />
                {canManage && (
                  <Button size="sm" variant="ghost" iconOnly aria-label={`Remove ${o.origin}`} icon={<Trash2 aria-hidden="true" />} onClick={() => remove.mutate(o.id)} />
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}

function EmbedCard({ publicId }: { publicId: string }) {
  const snippet = embedSnippet(publicId, window.location.origin);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(snippet);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      /* clipboard blocked: the text stays selectable */
    }
  };
  return (
    <Card title="Embed on your site" actions={<Button size="sm" icon={copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />} onClick={copy}>{copied ? "Copied" : "Copy"}</Button>}>
      <div className="stack">
        <p className="small muted">Paste this just before the closing &lt;/body&gt; tag of every page that should show the chat.</p>
        <pre className="snippet" aria-label="Embed code" tabIndex={0}>
          {snippet}
        </pre>
        {!snippet && <EmptyState title="No public id" />}
      </div>
    </Card>
  );
}
