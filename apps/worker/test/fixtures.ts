/**
 * Documents made with real libraries for the ingest tests, each carrying sentences the
 * tests look for in the stored chunks.
 */
import { Document, HeadingLevel, Packer, Paragraph } from "docx";
import { PDFDocument, StandardFonts } from "pdf-lib";

export const sentences = {
  pdfPage1: "The lighthouse keeper logs every passing ship before dawn.",
  pdfPage2: "Quarterly maintenance of the lens requires a soft cloth.",
  pdfPage3: "Storm warnings are raised when the barometer falls quickly.",
  docx: "Employees may carry over five unused vacation days into January.",
  html: "Our returns desk accepts parcels until six in the evening.",
  markdown: "The espresso machine must be descaled every fortnight.",
  csvRow: "Blue Widget",
  json: "Warranty claims need the original receipt",
};

export async function makePdf(pages: string[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = pdf.addPage([612, 792]);
    page.drawText(text, { x: 50, y: 700, size: 11, font, maxWidth: 500, lineHeight: 14 });
  }
  return Buffer.from(await pdf.save());
}

export async function makeDocx(): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: "Leave policy", heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: sentences.docx }),
          new Paragraph({ text: "Sick leave is handled by the people team." }),
        ],
      },
    ],
  });
  return Buffer.from(await Packer.toBuffer(doc));
}

export const html = `<!doctype html>
<html><head><title>Returns</title><style>body{color:red}</style><script>var secretToken = 1;</script></head>
<body><nav>Home | Shop | Cart</nav>
<main><h1>Returns</h1><p>${sentences.html}</p><h2>Refunds</h2><p>Refunds arrive within ten working days.</p></main>
</body></html>`;

export const markdown = `# Kitchen rules

## Coffee

${sentences.markdown}

## Fridge

Label your food with your name and the date.
`;

export const csv = `product,price,colour
${sentences.csvRow},9.99,blue
Red Gadget,19.50,red
Green Gizmo,4.25,green
`;

export const json = JSON.stringify({
  support: { warranty: `${sentences.json} and the serial number.`, hours: "Mon-Fri 9-17" },
  products: [{ name: "Widget", price: 9.99 }],
});

/** Long Markdown (many chunks) for the kill and shutdown tests. */
export function longMarkdown(sections = 40): string {
  const parts: string[] = ["# Operations handbook"];
  for (let i = 0; i < sections; i++) {
    parts.push(`## Procedure ${i}`);
    for (let p = 0; p < 6; p++) {
      parts.push(
        `Step ${i}.${p}: inspect valve ${i * 7 + p} and record the pressure reading in log ${i}. ` +
          `If the reading for valve ${i * 7 + p} exceeds the threshold, notify the duty engineer ${p} and wait. ` +
          `Never bypass interlock ${i}-${p} without written approval from the site manager.`,
      );
    }
  }
  return parts.join("\n\n");
}
