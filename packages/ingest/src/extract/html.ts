/**
 * HTML to sections: keeps the main content (main, a lone article, else body) with its
 * heading structure; drops scripts, styles, navigation, page headers and footers, forms
 * and hidden elements.
 */
import * as cheerio from "cheerio";
import type { ExtractedDocument } from "../types";
import { SectionCollector } from "./sections";

interface DomNode {
  type: string;
  data?: string;
  name?: string;
  children?: DomNode[];
}

const DROPPED = [
  "script",
  "style",
  "noscript",
  "template",
  "iframe",
  "object",
  "embed",
  "svg",
  "canvas",
  "form",
  "button",
  "select",
  "input",
  "textarea",
  "dialog",
  "nav",
  "aside",
  "[role=navigation]",
  "[role=banner]",
  "[role=contentinfo]",
  "[role=search]",
  "[aria-hidden=true]",
  "[hidden]",
].join(",");

const PARAGRAPH_BLOCKS = new Set([
  "p", "div", "section", "article", "main", "header", "footer", "blockquote", "pre", "figure",
  "figcaption", "table", "ul", "ol", "dl", "address", "details", "summary", "hr", "body", "center",
]);
const LINE_BLOCKS = new Set(["li", "tr", "dt", "dd", "caption", "thead", "tbody", "tfoot"]);

export function extractHtml(html: string, options: { keepPageChrome?: boolean } = {}): ExtractedDocument {
  const $ = cheerio.load(html);
  const docTitle = $("head > title").first().text().replace(/\s+/g, " ").trim();
  $(DROPPED).remove();

  let root = $("main, [role=main]").first();
  if (root.length === 0) {
    const articles = $("article");
    root = articles.length === 1 ? articles.first() : $("body").first();
  }
  if (!options.keepPageChrome) {
    // Article headers usually hold the title; page-level ones hold menus and logos.
    if (root.is("body") || root.is("html")) root.find("header, footer").remove();
    else root.find("footer").remove();
  }

  const collector = new SectionCollector();
  const walk = (node: DomNode): void => {
    if (node.type === "text") {
      collector.append((node.data ?? "").replace(/\s+/g, " "));
      return;
    }
    if (node.type !== "tag" && node.type !== "root") return;
    const name = node.name ?? "";
    const heading = /^h([1-6])$/.exec(name);
    if (heading) {
      const text = textOf(node).replace(/\s+/g, " ").trim();
      if (text !== "") collector.heading(Number(heading[1]), text);
      return;
    }
    if (name === "br") {
      collector.append("\n", false);
      return;
    }
    if (name === "td" || name === "th") collector.append(" | ", false);
    const paragraph = PARAGRAPH_BLOCKS.has(name);
    if (paragraph) collector.append("\n\n", false);
    for (const child of node.children ?? []) walk(child);
    if (paragraph) collector.append("\n\n", false);
    else if (LINE_BLOCKS.has(name)) collector.append("\n", false);
  };
  // cheerio.load always builds <html><body>, so `root` is never empty.
  for (const node of root.toArray() as unknown as DomNode[]) walk(node);

  const sections = collector.finish().map((s) => ({ ...s, text: tidyTableRows(s.text) }));
  const title = docTitle || $("h1").first().text().replace(/\s+/g, " ").trim() || undefined;
  return title ? { title, sections } : { sections };
}

function textOf(node: DomNode): string {
  if (node.type === "text") return node.data ?? "";
  return (node.children ?? []).map(textOf).join(" ");
}

/** "| a | b" rows produced by the cell separator lose their leading pipe. */
function tidyTableRows(text: string): string {
  return text.replace(/^\| /gm, "");
}
