import { describe, expect, it } from "vitest";
import { renderText } from "./render-text";

const render = (text: string, cite?: (n: number) => Node | null) => {
  const div = document.createElement("div");
  div.appendChild(renderText(text, cite));
  return div;
};

describe("renderText", () => {
  it("shows markup in the text as text and creates no elements from it", () => {
    const hostile = `Code: <img src=x onerror="alert(1)"> and <script>alert(2)</script>`;
    const div = render(hostile);
    expect(div.textContent).toBe(hostile);
    expect(div.querySelector("img, script")).toBeNull();
  });

  it("turns [n] into the citation node and keeps unknown markers as text", () => {
    const div = render("Seven years [1], see also [7].", (n) => {
      if (n !== 1) return null;
      const b = document.createElement("button");
      b.textContent = "1";
      return b;
    });
    expect(div.querySelectorAll("button")).toHaveLength(1);
    expect(div.textContent).toBe("Seven years 1, see also [7].");
  });

  it("renders paragraphs, bullet lists, bold and code", () => {
    const div = render("First **bold** `x<y`\n\n- one\n- two");
    expect(div.querySelector("strong")?.textContent).toBe("bold");
    expect(div.querySelector("code")?.textContent).toBe("x<y");
    expect([...div.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["one", "two"]);
  });
});
