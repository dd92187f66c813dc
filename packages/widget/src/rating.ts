/**
 * The 1-5 stars under an answer (when the bot's widget offers them): a radio-like row of
 * star buttons; once rated, an optional comment box. Each choice is sent at once; a
 * failure shows a short notice and keeps the previous choice.
 */
import { el } from "./dom";

export interface StarsOptions {
  stars: number | undefined;
  /** Sends the rating; resolves true when the service stored it. */
  rate(stars: number, comment?: string): Promise<boolean>;
}

export function starsNode({ stars: initial, rate }: StarsOptions): HTMLElement {
  const box = el("div", "rating");
  const row = el("div", "stars");
  row.setAttribute("role", "group");
  row.setAttribute("aria-label", "Rate this answer");
  const status = el("span", "rating-status");
  status.setAttribute("aria-live", "polite");
  let current = initial;
  const buttons: HTMLButtonElement[] = [];

  function paint(): void {
    buttons.forEach((b, i) => {
      b.classList.toggle("on", current !== undefined && i < current);
      b.setAttribute("aria-pressed", String(current === i + 1));
    });
  }

  let commentForm: HTMLFormElement | null = null;
  function showComment(): void {
    if (commentForm) return;
    commentForm = el("form", "rating-comment");
    const input = el("input");
    input.type = "text";
    input.maxLength = 2000;
    input.placeholder = "Add a comment (optional)";
    input.setAttribute("aria-label", "Comment on this answer");
    const send = el("button", "", "Send");
    send.type = "submit";
    commentForm.append(input, send);
    commentForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const comment = input.value.trim();
      if (!comment || current === undefined) return;
      send.disabled = true;
      void rate(current, comment).then((ok) => {
        send.disabled = false;
        status.textContent = ok ? "Thanks for your feedback." : "Your comment could not be sent.";
        if (ok) commentForm?.remove();
      });
    });
    box.appendChild(commentForm);
  }

  for (let n = 1; n <= 5; n++) {
    const b = el("button", "star", "★");
    b.type = "button";
    b.setAttribute("aria-label", `${n} of 5 stars`);
    b.addEventListener("click", () => {
      const previous = current;
      current = n;
      paint();
      void rate(n).then((ok) => {
        if (ok) {
          status.textContent = "Thanks!";
          showComment();
        } else {
          current = previous;
          paint();
          status.textContent = "Your rating could not be sent.";
        }
      });
    });
    buttons.push(b);
    row.appendChild(b);
  }
  paint();
  box.append(row, status);
  return box;
}
