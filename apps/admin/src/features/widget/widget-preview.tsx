/**
 * Live preview: the real widget module (`@docent/widget-kit/mount`) mounted inside a mock
 * page, fed the unsaved appearance on every change. Questions go through the signed-in
 * playground endpoint, since the admin app's origin is usually not on the allowlist.
 */
import { type WidgetController, mountWidget } from "@docent/widget-kit/mount";
import { useEffect, useRef } from "react";
import { api } from "../../api/client";
import type { WidgetSettings } from "../../api/types";

export function WidgetPreview({ botId, publicId, settings, botName }: { botId: string; publicId: string; settings: WidgetSettings; botName: string }) {
  const host = useRef<HTMLDivElement>(null);
  const controller = useRef<WidgetController | null>(null);
  const latest = useRef(settings);
  latest.current = settings;

  useEffect(() => {
    if (!host.current) return;
    controller.current = mountWidget({
      publicId,
      apiBase: "/chat",
      host: host.current,
      inline: true,
      startOpen: true,
      storage: null,
      config: { ...latest.current, botName },
      // The preview's answers are playground answers: rated through the signed-in admin's feedback route.
      rater: async ({ messageId, stars, comment }) => {
        await api.chat.feedback(messageId, { stars, ...(comment ? { comment } : {}) });
        return true;
      },
      transport: (request, signal) => api.chat.raw(botId, { message: request.message, ...(request.conversationId ? { conversationId: request.conversationId } : {}) }, signal),
    });
    return () => {
      controller.current?.destroy();
      controller.current = null;
    };
  }, [botId, publicId, botName]);

  useEffect(() => {
    controller.current?.update(settings);
  }, [settings]);

  return (
    <div className="widget-preview" ref={host} data-testid="widget-preview" aria-label="Widget preview">
      <div className="mock-page" aria-hidden="true">
        <div className="mock-nav">
          <span />
          <span />
          <span />
        </div>
        <div className="mock-hero" />
        <div className="mock-line" />
        <div className="mock-line short" />
        <div className="mock-line" />
      </div>
    </div>
  );
}
