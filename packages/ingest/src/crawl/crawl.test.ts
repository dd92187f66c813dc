/** The pure parts of a website crawl: scope, robots.txt, sitemaps, reading a page. */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ExtractionError } from "../errors";
import { readPage } from "./page";
import { parseRobots, productToken } from "./robots";
import { createScope, normalizePageUrl } from "./scope";
import { parseSitemap, sitemapText } from "./sitemap";

describe("page addresses and scope", () => {
  it("drops fragments and keeps queries; refuses what is not http(s) or carries credentials", () => {
    expect(normalizePageUrl("/b#part-2", "https://Docs.Example.com/a")).toBe("https://docs.example.com/b");
    expect(normalizePageUrl("https://docs.example.com:443/x?y=1#z")).toBe("https://docs.example.com/x?y=1");
    expect(normalizePageUrl("mailto:help@example.com")).toBeNull();
    expect(normalizePageUrl("javascript:alert(1)")).toBeNull();
    expect(normalizePageUrl("https://me:pw@docs.example.com/")).toBeNull();
    expect(normalizePageUrl("http://[bad")).toBeNull();
  });

  it("keeps to the site's hosts and the include/exclude path globs", () => {
    const scope = createScope({ hosts: ["docs.example.com", "help.example.com"], include: ["/docs/**", "/faq"], exclude: ["/docs/internal/**"] });
    expect(scope("https://docs.example.com/docs/a/b#x")).toEqual({ inScope: true, url: "https://docs.example.com/docs/a/b" });
    expect(scope("https://help.example.com/faq")).toMatchObject({ inScope: true });
    expect(scope("https://evil.example.com/docs/a")).toMatchObject({ inScope: false, reason: expect.stringContaining("evil.example.com") });
    expect(scope("https://docs.example.com/blog/1")).toMatchObject({ inScope: false, reason: expect.stringContaining("include") });
    expect(scope("https://docs.example.com/docs/internal/keys")).toMatchObject({ inScope: false, reason: expect.stringContaining("exclude") });
    expect(createScope({ hosts: ["a.example"], include: [], exclude: [] })("https://a.example/anything")).toMatchObject({ inScope: true });
  });
});

describe("robots.txt", () => {
  const robots = parseRobots(
    "https://docs.example.com/robots.txt",
    "User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n\nUser-agent: DocentBot\nDisallow: /no-docent/\n\nSitemap: https://docs.example.com/sitemap.xml\n",
    "DocentBot/1.0 (+https://example.com/bot)",
  );

  it("matches the group of the user agent's product token", () => {
    expect(productToken("DocentBot/1.0 (+https://example.com/bot)")).toBe("DocentBot");
    expect(robots.isAllowed("https://docs.example.com/no-docent/page")).toBe(false);
    // The DocentBot group replaces the * group for DocentBot.
    expect(robots.isAllowed("https://docs.example.com/private/page")).toBe(true);
    expect(robots.isAllowed("https://docs.example.com/docs")).toBe(true);
    expect(robots.sitemaps).toEqual(["https://docs.example.com/sitemap.xml"]);
  });

  it("reads Crawl-delay for the agent it applies to", () => {
    const other = parseRobots("https://x.example/robots.txt", "User-agent: *\nCrawl-delay: 3\nDisallow: /p/\n", "DocentBot/1.0");
    expect(other.crawlDelaySeconds).toBe(3);
    expect(other.isAllowed("https://x.example/p/1")).toBe(false);
  });
});

describe("sitemaps", () => {
  it("reads a urlset, entities decoded, and a sitemap index", () => {
    const urlset = parseSitemap(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc> https://a.example/p?x=1&amp;y=2 </loc><lastmod>2026-01-02</lastmod></url><url><loc>https://a.example/q</loc></url><url></url></urlset>`);
    expect(urlset).toEqual({ kind: "urlset", urls: [{ loc: "https://a.example/p?x=1&y=2", lastmod: "2026-01-02" }, { loc: "https://a.example/q" }] });
    expect(parseSitemap(`<sitemapindex><sitemap><loc>https://a.example/s1.xml.gz</loc></sitemap></sitemapindex>`)).toEqual({
      kind: "index",
      sitemaps: ["https://a.example/s1.xml.gz"],
    });
  });

  it("does not expand entities a DOCTYPE declares (billion laughs)", () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
      <urlset><url><loc>https://a.example/&lol2;</loc></url></urlset>`;
    const parsed = parseSitemap(bomb);
    expect(parsed.kind === "urlset" && parsed.urls[0]!.loc.length).toBeLessThan(40);
  });

  it("gunzips by magic number, up to a size, and names what is wrong", () => {
    const xml = "<urlset><url><loc>https://a.example/</loc></url></urlset>";
    expect(sitemapText(gzipSync(xml), 1024)).toBe(xml);
    expect(() => sitemapText(gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x20)), 1024 * 1024)).toThrow(/larger than 1 MB uncompressed/);
    expect(() => sitemapText(Buffer.from([0x1f, 0x8b, 1, 2, 3]), 1024)).toThrow(/not valid gzip/);
    expect(() => parseSitemap("<html><body>hi</body></html>")).toThrow(ExtractionError);
    expect(() => parseSitemap("<html><body>hi</body></html>")).toThrow(/not a sitemap/);
  });
});

describe("reading a page", () => {
  const html = (extra = "", body = "") => `<!doctype html><html lang="de-CH"><head><title>Returns</title>${extra}</head><body>
    <nav><a href="/">Home</a> <a href="/shop#top">Shop</a> MainMenuWords</nav>
    <main><article><h1>Returns</h1><h2>Within 30 days</h2><p>${"Items can be returned within thirty days of delivery for a full refund. ".repeat(8)}</p>
    <p><a href="/returns/form">Return form</a> <a href="mailto:x@y.z">mail</a> <a href="/secret" rel="nofollow">secret</a> <a href="https://other.example/x">other</a></p>${body}</article></main>
    <footer>FooterWords 2026 <a href="/imprint">Imprint</a></footer></body></html>`;

  it("finds links (fragments dropped, nofollow and non-http skipped), language, canonical and main content", () => {
    const page = readPage(html('<link rel="canonical" href="/returns">'), "https://shop.example/returns?ref=nav#x");
    expect(page.links).toEqual(["https://shop.example/", "https://shop.example/shop", "https://shop.example/returns/form", "https://other.example/x", "https://shop.example/imprint"]);
    expect(page).toMatchObject({ title: "Returns", lang: "de-CH", canonical: "https://shop.example/returns", noindex: false, nofollow: false });
    expect(page.mainHtml).toContain("Within 30 days");
    expect(page.mainHtml).not.toContain("MainMenuWords");
    expect(page.mainHtml).not.toContain("FooterWords");
  });

  it("hashes the main content: a new footer is no change, a new sentence is", () => {
    const base = readPage(html(), "https://shop.example/returns");
    const newFooter = readPage(html().replace("FooterWords 2026", "FooterWords 2027"), "https://shop.example/returns");
    const newText = readPage(html("", "<p>Sale items cannot be returned.</p>"), "https://shop.example/returns");
    expect(newFooter.contentHash).toBe(base.contentHash);
    expect(newText.contentHash).not.toBe(base.contentHash);
  });

  it("reads meta robots", () => {
    expect(readPage(html('<meta name="robots" content="noindex, nofollow">'), "https://shop.example/r")).toMatchObject({ noindex: true, nofollow: true });
    expect(readPage(html('<meta name="ROBOTS" content="none">'), "https://shop.example/r")).toMatchObject({ noindex: true, nofollow: true });
  });
});
