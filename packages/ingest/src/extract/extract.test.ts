import { describe, expect, it } from "vitest";
import { ExtractionError } from "../errors";
import { makeDocx, makePdf, utf8 } from "../testing/fixtures";
import { extract, extractPdf, openPdf } from "./index";

async function extractionError(promise: Promise<unknown>): Promise<ExtractionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExtractionError);
  expect((error as ExtractionError).retryable).toBe(false);
  return error as ExtractionError;
}

describe("PDF", () => {
  it("keeps each page's text with its page number", async () => {
    const bytes = await makePdf({
      title: "Field Guide",
      pages: [
        ["The aurora appears on page one.", "A second paragraph on the first page."],
        ["Glaciers are described on page two."],
        ["Volcanoes close the guide on page three."],
      ],
    });
    const doc = await extract({ bytes, kind: "pdf" });
    expect(doc.title).toBe("Field Guide");
    expect(doc.sections.map((s) => s.page)).toEqual([1, 2, 3]);
    expect(doc.sections[0]!.text).toContain("The aurora appears on page one.");
    expect(doc.sections[0]!.text).toMatch(/page one\.\n\nA second paragraph/);
    expect(doc.sections[1]!.text).toContain("Glaciers are described on page two.");
    expect(doc.sections[2]!.text).toContain("Volcanoes close the guide on page three.");
  });

  it("streams pages one at a time", async () => {
    const bytes = await makePdf({ pages: [["One."], [], ["Three."]] });
    const reader = await openPdf(bytes);
    const pages: number[] = [];
    for await (const section of reader.pages()) pages.push(section.page);
    await reader.close();
    expect(reader.pageCount).toBe(3);
    expect(pages).toEqual([1, 3]);
  });

  it("parses in a worker thread (taking the buffer when asked) with the same result as in-thread", async () => {
    const bytes = await makePdf({ pages: [["Page one text."], ["Page two text."]] });
    const inThread = await extractPdf(bytes, { inThread: true });
    const copy = bytes.slice();
    const threaded = await extractPdf(copy, { transferBytes: true });
    expect(threaded).toEqual(inThread);
    expect(copy.byteLength).toBe(0); // handed to the parser thread
    expect(bytes.byteLength).toBeGreaterThan(0);
  });

  it("stops the parser when the reader stops early", async () => {
    const bytes = await makePdf({ pages: [["First."], ["Second."], ["Third."]] });
    const reader = await openPdf(bytes);
    for await (const section of reader.pages()) {
      expect(section.page).toBe(1);
      break;
    }
    await reader.close();
  });

  it("says a password-protected PDF is password-protected", async () => {
    const bytes = await makePdf({ pages: [["Secret plans."]], userPassword: "hunter2", ownerPassword: "owner" });
    const error = await extractionError(extract({ bytes, kind: "pdf" }));
    expect(error.message).toMatch(/password-protected/);
    expect(error.code).toBe("encrypted_file");
  });

  it("reads a PDF that is only permission-restricted (no password to open)", async () => {
    const bytes = await makePdf({ pages: [["Readable despite restrictions."]], ownerPassword: "owner" });
    const doc = await extract({ bytes, kind: "pdf" });
    expect(doc.sections[0]!.text).toContain("Readable despite restrictions.");
  });

  it("says a corrupt or truncated PDF is not a valid PDF", async () => {
    const garbage = utf8("%PDF-1.7\nthis is not really a pdf at all\n");
    expect((await extractionError(extract({ bytes: garbage, kind: "pdf" }))).message).toMatch(/not a valid PDF/);
    const whole = await makePdf({ pages: [["Cut short."]] });
    const truncated = whole.slice(0, Math.floor(whole.length / 3));
    expect((await extractionError(extract({ bytes: truncated, kind: "pdf" }))).message).toMatch(/PDF/);
  });

  it("says a PDF without text has no extractable text", async () => {
    const bytes = await makePdf({ pages: [[]] });
    expect((await extractionError(extract({ bytes, kind: "pdf" }))).message).toMatch(/no extractable text/);
  });
});

describe("DOCX", () => {
  it("keeps headings as heading paths", async () => {
    const bytes = await makeDocx([
      { heading: "Employee Handbook", level: 1 },
      { text: "Welcome to the company handbook." },
      { heading: "Leave", level: 2 },
      { text: "Employees receive twenty-five days of paid leave." },
      { heading: "Expenses", level: 2 },
      { text: "Submit receipts within thirty days." },
    ]);
    const doc = await extract({ bytes, kind: "docx" });
    const leave = doc.sections.find((s) => s.text.includes("twenty-five days"));
    expect(leave?.headingPath).toEqual(["Employee Handbook", "Leave"]);
    const expenses = doc.sections.find((s) => s.text.includes("within thirty days"));
    expect(expenses?.headingPath).toEqual(["Employee Handbook", "Expenses"]);
    expect(doc.title).toBe("Employee Handbook");
  });

  it("rejects a broken DOCX with a readable message", async () => {
    const bytes = await makeDocx([{ text: "x" }]);
    const error = await extractionError(extract({ bytes: bytes.slice(0, 200), kind: "docx" }));
    expect(error.message).toMatch(/not a valid Word/);
  });
});

describe("HTML", () => {
  const page = `<!doctype html><html><head><title>Pricing | Acme</title>
    <style>.x{color:red}</style><script>window.secret = "tracking code";</script></head>
    <body>
      <header><nav><a href="/">Home</a><a href="/about">About us</a></nav></header>
      <main>
        <h1>Pricing</h1>
        <p>Our basic plan costs <strong>ten euros</strong> a month.</p>
        <h2>Enterprise</h2>
        <p>Enterprise plans include single sign-on.</p>
        <ul><li>Priority support</li><li>Audit logs</li></ul>
        <noscript>Enable JavaScript</noscript>
      </main>
      <footer>Copyright 2024 Acme Inc.</footer>
    </body></html>`;

  it("keeps the main content and headings, drops scripts, styles, navigation and footer", async () => {
    const doc = await extract({ bytes: utf8(page), kind: "html" });
    const all = doc.sections.map((s) => s.text).join("\n");
    expect(doc.title).toBe("Pricing | Acme");
    expect(all).toContain("Our basic plan costs ten euros a month.");
    expect(all).toContain("Enterprise plans include single sign-on.");
    expect(all).toMatch(/Priority support\nAudit logs/);
    for (const dropped of ["tracking code", "color:red", "About us", "Copyright", "Enable JavaScript"]) {
      expect(all).not.toContain(dropped);
    }
    expect(doc.sections.find((s) => s.text.includes("single sign-on"))?.headingPath).toEqual(["Pricing", "Enterprise"]);
  });

  it("reads UTF-8 pages that declare no charset, and a charset from the HTTP header", async () => {
    const utf8Page = await extract({ bytes: utf8("<html><body><p>Grüße aus Köln — “quotes”</p></body></html>"), kind: "html" });
    expect(utf8Page.sections[0]!.text).toBe("Grüße aus Köln — “quotes”");
    const latin = new Uint8Array(Buffer.from("<p>Smörgåsbord för två</p>", "latin1"));
    const fromHeader = await extract({ bytes: latin, kind: "html", contentType: "text/html; charset=ISO-8859-1" });
    expect(fromHeader.sections[0]!.text).toBe("Smörgåsbord för två");
  });

  it("honours the page's declared charset", async () => {
    const bytes = new Uint8Array(
      Buffer.from('<html><head><meta charset="iso-8859-1"></head><body><p>Cr\xe8me br\xfbl\xe9e</p></body></html>', "latin1"),
    );
    const doc = await extract({ bytes, kind: "html" });
    expect(doc.sections[0]!.text).toContain("Crème brûlée");
  });
});

describe("Markdown", () => {
  it("keeps the heading structure and front-matter title", async () => {
    const md = [
      "---",
      "title: Ops Runbook",
      "---",
      "# Runbook",
      "",
      "Intro paragraph.",
      "",
      "## Backups",
      "",
      "Backups run nightly at two.",
      "",
      "### Restore",
      "",
      "Restore with the restore script.",
      "",
      "```sh",
      "# not a heading",
      "./restore.sh",
      "```",
      "",
      "## Alerts",
      "",
      "Alerts page the on-call engineer.",
    ].join("\n");
    const doc = await extract({ bytes: utf8(md), kind: "markdown" });
    expect(doc.title).toBe("Ops Runbook");
    const restore = doc.sections.find((s) => s.text.includes("restore script"));
    expect(restore?.headingPath).toEqual(["Runbook", "Backups", "Restore"]);
    expect(restore?.text).toContain("# not a heading");
    expect(doc.sections.find((s) => s.text.includes("on-call"))?.headingPath).toEqual(["Runbook", "Alerts"]);
  });
});

describe("plain text", () => {
  it("detects a legacy encoding", async () => {
    const bytes = new Uint8Array(
      Buffer.from("Le caf\xe9 est pr\xeat. Les \xe9l\xe8ves arrivent \xe0 l'\xe9cole tr\xe8s t\xf4t le matin.", "latin1"),
    );
    const doc = await extract({ bytes, kind: "text" });
    expect(doc.sections[0]!.text).toBe("Le café est prêt. Les élèves arrivent à l'école très tôt le matin.");
  });

  it("decodes UTF-16 with a byte-order mark", async () => {
    const bytes = new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("Grüße aus Köln", "utf16le")]));
    const doc = await extract({ bytes, kind: "text" });
    expect(doc.sections[0]!.text).toBe("Grüße aus Köln");
  });

  it("rejects whitespace-only and empty input", async () => {
    expect((await extractionError(extract({ bytes: utf8(" \n\t\n"), kind: "text" }))).message).toMatch(/no text/);
    expect((await extractionError(extract({ bytes: new Uint8Array(), kind: "text" }))).message).toMatch(/empty/);
  });
});

describe("CSV", () => {
  it("makes one section per row, each carrying the header", async () => {
    const csv = 'sku,name,price\nA1,"Widget, large",9.99\nB2,Gadget,4.50\n\nC3,"Quote ""x""",1.00\n';
    const doc = await extract({ bytes: utf8(csv), kind: "csv" });
    expect(doc.sections.map((s) => s.header)).toEqual(["sku,name,price", "sku,name,price", "sku,name,price"]);
    expect(doc.sections.map((s) => s.text)).toEqual(['A1,"Widget, large",9.99', "B2,Gadget,4.50", 'C3,"Quote ""x""",1.00']);
    expect(doc.sections.map((s) => [s.rowStart, s.rowEnd])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3], // blank lines are not rows
    ]);
  });

  it("rejects a CSV with only a header", async () => {
    expect((await extractionError(extract({ bytes: utf8("a,b,c\n"), kind: "csv" }))).message).toMatch(/no data rows/);
  });
});

describe("JSON", () => {
  it("flattens values to key paths, one section per top-level key", async () => {
    const json = {
      company: "Acme",
      products: [
        { name: "Rocket skates", price: 120, tags: ["fast", "dangerous"] },
        { name: "Giant magnet", specs: { weight: "2 t", "max range": null } },
      ],
    };
    const doc = await extract({ bytes: utf8(JSON.stringify(json)), kind: "json" });
    const all = doc.sections.map((s) => s.text).join("\n");
    expect(all).toContain("company: Acme");
    expect(all).toContain("products[0].name: Rocket skates");
    expect(all).toContain("products[0].tags[1]: dangerous");
    expect(all).toContain("products[1].specs.weight: 2 t");
    expect(all).toContain('products[1].specs["max range"]: null');
    expect(doc.sections.find((s) => s.text.includes("Rocket"))?.headingPath).toEqual(["products"]);
  });

  it("reads JSON Lines and rejects invalid JSON readably", async () => {
    const doc = await extract({ bytes: utf8('{"q":"a"}\n{"q":"b"}\n'), kind: "json" });
    expect(doc.sections[0]!.text).toBe("[0].q: a\n\n[1].q: b");
    const error = await extractionError(extract({ bytes: utf8('{"broken": '), kind: "json" }));
    expect(error.message).toMatch(/not valid JSON/);
  });
});
