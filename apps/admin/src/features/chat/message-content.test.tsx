import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { MessageContent, PlainText } from "./message-content";

describe("MessageContent", () => {
  it("shows raw HTML from documents or users as text, never as elements", () => {
    const text = `The code word is <img src=x onerror="alert(1)"> and\n\n<script>alert(2)</script>`;
    const { container } = render(<MessageContent text={text} />);
    expect(container.querySelector("img, script")).toBeNull();
    expect(container.textContent).toContain(`<img src=x onerror="alert(1)">`);
    expect(container.textContent).toContain("<script>alert(2)</script>");
  });

  it("turns [n] markers into buttons that open their citation, and leaves unknown ones as text", () => {
    const onCitation = vi.fn();
    const citation = { index: 1, documentName: "manual.pdf", content: "seven year warranty" };
    render(<MessageContent text="It lasts **seven years** [1] [4]." citations={[citation]} onCitation={onCitation} />);
    fireEvent.click(screen.getByRole("button", { name: "Source 1: manual.pdf" }));
    expect(onCitation).toHaveBeenCalledWith(citation);
    expect(screen.getByText("[4]")).toBeTruthy();
    expect(screen.getByText("seven years").tagName).toBe("STRONG");
  });

  it("neutralises javascript: links and does not load images", () => {
    const { container } = render(<MessageContent text="[click](javascript:alert(1)) ![logo](https://evil.example/x.png)" />);
    const link = container.querySelector("a");
    expect(link?.getAttribute("href") ?? "").not.toMatch(/javascript:/i);
    expect(container.querySelector("img")).toBeNull();
  });

  it("PlainText keeps user text exactly as typed", () => {
    const { container } = render(<PlainText text={"<b>hi</b>\nthere"} />);
    expect(container.querySelector("b")).toBeNull();
    expect(container.textContent).toBe("<b>hi</b>\nthere");
  });
});
