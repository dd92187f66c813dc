import { describe, expect, it } from "vitest";
import { detectFileType, isJsonPrefix } from "./index";
import { UnsupportedFileError } from "../errors";
import { inspectPdf } from "../pdf-inspect";
import { makeDocx, makePdf, makeZip, utf8 } from "../testing/fixtures";

const kindOf = (bytes: Uint8Array, name?: string) => detectFileType(bytes, name).kind;

function expectUnsupported(bytes: Uint8Array, message: RegExp, name?: string) {
  let caught: unknown;
  try {
    detectFileType(bytes, name);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(UnsupportedFileError);
  expect((caught as UnsupportedFileError).message).toMatch(message);
  expect((caught as UnsupportedFileError).retryable).toBe(false);
}

describe("detectFileType: binary formats by magic number", () => {
  it("recognises a PDF whatever its name says", async () => {
    const pdf = await makePdf({ pages: [["Hello"]] });
    expect(detectFileType(pdf, "notes.txt")).toEqual({ kind: "pdf", mimeType: "application/pdf" });
  });

  it("recognises a DOCX made by a real library, from its first 64 KB", async () => {
    const docx = await makeDocx([{ heading: "Title", level: 1 }, { text: "Body text." }]);
    expect(kindOf(docx.subarray(0, 65_536), "upload.bin")).toBe("docx");
  });

  it("refuses a ZIP that is not a DOCX, and names spreadsheets", () => {
    expectUnsupported(makeZip({ "readme.txt": "hello", "data/a.csv": "a,b" }), /ZIP archives are not supported/, "report.docx");
    expectUnsupported(
      makeZip({ "[Content_Types].xml": '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>', "xl/workbook.xml": "<x/>" }),
      /Excel spreadsheets/,
    );
  });

  it("refuses images, executables, archives and empty files with a readable reason", () => {
    expectUnsupported(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), /Images \(PNG\)/, "a.txt");
    expectUnsupported(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]), /Images \(JPEG\)/);
    expectUnsupported(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]), /Programs/);
    expectUnsupported(new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]), /Programs/, "setup.pdf");
    expectUnsupported(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]), /gzip/);
    expectUnsupported(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]), /Legacy Microsoft Office/);
    expectUnsupported(new Uint8Array(), /empty/);
    expectUnsupported(utf8("   \n\n  "), /no text/);
    expectUnsupported(utf8('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'), /SVG/);
    expectUnsupported(new Uint8Array([1, 2, 3, 0, 0, 5, 6, 7, 8, 9]), /binary data/);
  });
});

describe("detectFileType: text formats by content", () => {
  it("tells JSON, CSV, HTML, Markdown and plain text apart without a name", () => {
    expect(kindOf(utf8('{"items": [{"name": "a"}]}'))).toBe("json");
    expect(kindOf(utf8("name,age,city\nAda,36,London\nAlan,41,Wilmslow\n"))).toBe("csv");
    expect(kindOf(utf8("id;price\n1;9.5\n2;3.0\n3;1.25\n"))).toBe("csv");
    expect(kindOf(utf8("<!DOCTYPE html><html><body><p>Hi</p></body></html>"))).toBe("html");
    expect(kindOf(utf8("<div><h1>Title</h1><p>Paragraph</p></div>"))).toBe("html");
    expect(kindOf(utf8("# Guide\n\nSome *text* here.\n\n## Install\n\n- step one\n"))).toBe("markdown");
    expect(kindOf(utf8("Dear team, the meeting moved to Tuesday. Thanks, Ana."))).toBe("text");
  });

  it("accepts the head of a large JSON file that is cut mid-document", () => {
    const big = JSON.stringify({ rows: Array.from({ length: 5000 }, (_, i) => ({ id: i, name: `row ${i}` })) });
    expect(kindOf(utf8(big).subarray(0, 4096))).toBe("json");
    expect(isJsonPrefix('{"a": [1, 2, {"b": tr')).toBe(true);
    expect(isJsonPrefix('{"a" 1}')).toBe(false);
    expect(isJsonPrefix("[link](http://x) and text")).toBe(false);
  });

  it("lets the name break ties between text kinds only", () => {
    expect(kindOf(utf8("Plain words only.\nAnother line."), "notes.md")).toBe("markdown");
    expect(kindOf(utf8("# Heading\n\nText"), "notes.txt")).toBe("text");
    expect(kindOf(utf8("just text"), "report.pdf")).toBe("text");
    expect(kindOf(utf8('{"a": 1}'), "data.csv")).toBe("json");
    expect(kindOf(utf8("apple\nbanana\ncherry\n"), "fruit.csv")).toBe("csv");
    expect(kindOf(utf8("apple\nbanana\ncherry\n"))).toBe("text");
  });

  it("does not mistake prose with commas for CSV", () => {
    const prose = "Well, the weather was fine, and we walked.\nLater that day it rained.\nNobody minded, really.\n";
    expect(kindOf(utf8(prose))).toBe("text");
  });

  it("reads windows-1252 text", () => {
    const latin1 = Buffer.from("Caf\xe9 cr\xe8me, cr\xe9dit \xe0 la carte. Na\xefve fa\xe7ade.", "latin1");
    expect(kindOf(new Uint8Array(latin1))).toBe("text");
  });
});

describe("inspectPdf", () => {
  it("sees the /Encrypt trailer of an encrypted PDF and the end marker", async () => {
    const encrypted = await makePdf({ pages: [["Secret"]], userPassword: "pw" });
    const plain = await makePdf({ pages: [["Open"]] });
    expect(inspectPdf(encrypted.subarray(0, 1024), encrypted.subarray(-4096)).encrypted).toBe(true);
    const open = inspectPdf(plain.subarray(0, 1024), plain.subarray(-4096));
    expect(open).toEqual({ encrypted: false, hasHeader: true, hasEndMarker: true });
    expect(inspectPdf(plain, plain.subarray(0, plain.length - 200)).hasEndMarker).toBe(false);
  });
});
