import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { ToastProvider } from "../../ui/toast";
import { StarsDistribution } from "../analytics/analytics-page";
import { CuratedDialog, draftErrors } from "./curated-dialog";
import { thresholdError } from "./curated-page";

const wrap = (node: ReactNode) =>
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <ToastProvider>{node}</ToastProvider>
    </QueryClientProvider>,
  );

afterEach(() => vi.restoreAllMocks());

describe("curated answer form (the chat service's schema)", () => {
  it("names an empty question or answer, in the route's words", () => {
    expect(draftErrors({ question: "  ", answer: "" })).toEqual({ question: "question must not be empty", answer: "answer must not be empty" });
    expect(draftErrors({ question: "Hours?", answer: "Nine to five." })).toEqual({});
  });

  it("refuses a threshold outside 0-1", () => {
    expect(thresholdError("1.2")).toBe("curatedThreshold must be between 0 and 1");
    expect(thresholdError("-0.1")).toBe("curatedThreshold must be between 0 and 1");
    expect(thresholdError("")).toBe("Enter a number between 0 and 1");
    expect(thresholdError("0.75")).toBeUndefined();
  });

  it("creates from an inbox group with its question prefilled and its questions handled; sends nothing while a field is empty", async () => {
    const create = vi.spyOn(api.curated, "create").mockResolvedValue({} as Awaited<ReturnType<typeof api.curated.create>>);
    const onClose = vi.fn();
    wrap(<CuratedDialog botId="b1" open onClose={onClose} draft={{ question: "Do you ship to Canada?", answer: "", handlesQueryLogIds: ["q1", "q2"] }} />);
    expect((screen.getByLabelText("Question") as HTMLTextAreaElement).value).toBe("Do you ship to Canada?");
    expect(screen.getByText(/marks the 2 inbox question/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("answer must not be empty")).toBeTruthy();
    expect(create).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText("Answer"), { target: { value: "Yes, in five to eight days." } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(create).toHaveBeenCalledWith("b1", {
      question: "Do you ship to Canada?",
      answer: "Yes, in five to eight days.",
      enabled: true,
      handlesQueryLogIds: ["q1", "q2"],
    });
  });
});

describe("star ratings in analytics", () => {
  it("shows the count per star and the average, or says there are none", () => {
    const distribution = [1, 2, 3, 4, 5].map((stars) => ({ stars, count: stars === 5 ? 3 : stars === 2 ? 1 : 0 }));
    const { container } = render(<StarsDistribution stars={{ distribution, count: 4, average: 4.25 }} />);
    expect(screen.getByText("4.25")).toBeTruthy();
    expect(screen.getByText("average of 4 ratings")).toBeTruthy();
    const rows = [...container.querySelectorAll("tbody tr")].map((r) => [r.querySelector("th")!.textContent, r.querySelector("td:last-child")!.textContent]);
    expect(rows).toEqual([["★★★★★", "3"], ["★★★★", "0"], ["★★★", "0"], ["★★", "1"], ["★", "0"]]);
    render(<StarsDistribution stars={{ distribution: distribution.map((d) => ({ ...d, count: 0 })), count: 0, average: null }} />);
    expect(screen.getByText("No star ratings in this period.")).toBeTruthy();
  });
});
