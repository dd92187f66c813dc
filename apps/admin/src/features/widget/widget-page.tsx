/** The embeddable widget: appearance (with a live preview of the real widget), allowed origins, embed code. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, Copy, Globe, Plus, Trash2 } from "lucide-react";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { normalizeOrigin } from "@docent/contracts/origins";
import { updateWidgetBodySchema } from "@docent/contracts/widget";
import { defaultWidgetConfig } from "@docent/widget-kit/config";
import { type BotRef, api } from "../../api/client";
import type { Bot, WidgetSettings } from "../../api/types";
import { useWorkspace } from "../../app/session";
import { schemaResolver } from "../../lib/schema-form";
import { Button } from "../../ui/button";
import { Alert, EmptyState, ErrorMessage, Loading } from "../../ui/feedback";
import { Checkbox, Field, Input, Segmented, Select } from "../../ui/form";
import { Card } from "../../ui/layout";
import { useToast } from "../../ui/toast";
import { useBot } from "../bots/use-bot";
import { WidgetFilterCard } from "./widget-filter-card";
import { WidgetPreview } from "./widget-preview";
import "./widget.css";

/** The appearance form refuses what the API's update schema refuses (empty texts, colours that are not #rrggbb). */
export const widgetResolver = schemaResolver<typeof updateWidgetBodySchema, WidgetSettings>(updateWidgetBodySchema);
type WidgetUpdate = z.output<typeof updateWidgetBodySchema>;
const isHexColor = (value: string) => updateWidgetBodySchema.shape.primaryColor.safeParse(value).success;

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
  const widget = useQuery({ queryKey: ["widget", botId], queryFn: () => api.widget.get(ref) });
  if (widget.isPending || !bot) return <Loading />;
  if (widget.error) return <ErrorMessage error={widget.error} title="Could not load the widget settings" />;
  return (
    <div className="stack lg">
      <div className="widget-layout">
        <AppearanceCard bot={bot} botRef={ref} stored={widget.data} />
      </div>
      <div className="grid-2">
        <OriginsCard botRef={ref} canManage={canManage} />
        <EmbedCard publicId={bot.publicId} />
      </div>
      <WidgetFilterCard botRef={ref} stored={widget.data.metadataFilter} canManage={canManage} />
    </div>
  );
}

/** The appearance form, validated with the API's own widget schema, and its live preview. */
function AppearanceCard({ bot, botRef, stored }: { bot: Bot; botRef: BotRef; stored: Partial<WidgetSettings> }) {
  const { canManage } = useWorkspace();
  const queryClient = useQueryClient();
  const notify = useToast();
  // A stored empty avatar means none; the API takes null for that, not "".
  const saved = useMemo(() => ({ ...editable(stored), avatarUrl: stored.avatarUrl || null }), [stored]);
  const { register, handleSubmit, reset, setValue, watch, formState: { errors, isDirty } } = useForm<WidgetSettings, unknown, WidgetUpdate>({ resolver: widgetResolver, values: saved, mode: "onChange" });
  const save = useMutation({
    mutationFn: (update: WidgetUpdate) => api.widget.update(botRef, update),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["widget", bot.id] });
      notify("Widget saved. Sites using it pick up the change on their next page load.", "success");
    },
  });
  const draft = watch();
  const invalid = Object.keys(errors).length > 0;
  const setColor = (key: "primaryColor" | "textColor" | "backgroundColor") => (value: string) => setValue(key, value, { shouldDirty: true, shouldValidate: true });

  return (
    <>
      <Card title="Appearance">
        <form className="stack" onSubmit={handleSubmit((update) => save.mutate(update))}>
          <fieldset className="stack" disabled={!canManage}>
            <Field label="Header text" error={errors.headerText?.message}>
              <Input maxLength={100} {...register("headerText")} />
            </Field>
            <Field label="Greeting" error={errors.initialGreeting?.message}>
              <Input maxLength={500} {...register("initialGreeting")} />
            </Field>
            <Field label="Input placeholder" error={errors.inputPlaceholder?.message}>
              <Input maxLength={120} {...register("inputPlaceholder")} />
            </Field>
            <div className="grid-3">
              <ColorField label="Primary colour" value={draft.primaryColor} error={errors.primaryColor?.message} onChange={setColor("primaryColor")} />
              <ColorField label="Text on primary" value={draft.textColor} error={errors.textColor?.message} onChange={setColor("textColor")} />
              <ColorField label="Background" value={draft.backgroundColor} error={errors.backgroundColor?.message} onChange={setColor("backgroundColor")} />
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
                  onChange={(v) => setValue("theme", v, { shouldDirty: true })}
                />
              </div>
              <Field label="Position">
                <Select {...register("position")}>
                  <option value="bottom-right">Bottom right</option>
                  <option value="bottom-left">Bottom left</option>
                </Select>
              </Field>
            </div>
            <div className="grid-2">
              <Field label={`Width: ${draft.width}px`} error={errors.width?.message}>
                <input type="range" min={280} max={800} step={10} {...register("width", { valueAsNumber: true })} />
              </Field>
              <Field label={`Height: ${draft.height}px`} error={errors.height?.message}>
                <input type="range" min={360} max={1000} step={10} {...register("height", { valueAsNumber: true })} />
              </Field>
            </div>
            <Checkbox label="Show sources under answers" {...register("showSources")} />
            <Checkbox label="Offer 1-5 stars (and a comment) under answers" {...register("offerStars")} />
            <Checkbox label="Offer “Talk to a person” (sends the handoff.requested webhook)" {...register("handoffEnabled")} />
          </fieldset>
          <ErrorMessage error={save.error} />
          {canManage && (
            <div className="row">
              <Button type="submit" variant="primary" loading={save.isPending} disabled={invalid || !isDirty}>
                Save appearance
              </Button>
              {isDirty && (
                <Button onClick={() => reset(saved)} disabled={save.isPending}>
                  Discard changes
                </Button>
              )}
            </div>
          )}
        </form>
      </Card>
      <Card title="Live preview" padded={false}>
        <WidgetPreview botId={bot.id} publicId={bot.publicId} settings={draft} botName={bot.name} />
      </Card>
    </>
  );
}

function ColorField({ label, value, error, onChange }: { label: string; value: string; error: string | undefined; onChange(v: string): void }) {
  return (
    <Field label={label} error={error}>
      <div className="color-input">
        <input type="color" className="input color" aria-label={`${label} picker`} value={isHexColor(value) ? value : "#000000"} onChange={(e) => onChange(e.target.value)} />
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
