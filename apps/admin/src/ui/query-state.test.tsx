import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ApiError } from "../api/http";
import { QueryState } from "./query-state";

const show = (query: { isPending: boolean; error: unknown; data: string[] | undefined }) =>
  render(
    <QueryState query={query} errorTitle="Could not load bots" empty={<p>No bots yet</p>}>
      {(bots) => (
        <ul aria-label="Bots">
          {bots.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      )}
    </QueryState>,
  );

describe("QueryState", () => {
  it("shows placeholders while loading, nothing of the list yet", () => {
    const { container } = show({ isPending: true, error: null, data: undefined });
    expect(container.querySelector(".skeleton")).not.toBeNull();
    expect(screen.queryByRole("list")).toBeNull();
  });

  it("says what failed, in the API's words and with its request id", () => {
    show({ isPending: false, error: new ApiError(503, { message: "The database is unavailable", requestId: "req-1" }), data: undefined });
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Could not load bots");
    expect(alert.textContent).toContain("The database is unavailable");
    expect(alert.textContent).toContain("req-1");
  });

  it("shows the empty state for an empty list, and the list otherwise", () => {
    show({ isPending: false, error: null, data: [] });
    expect(screen.getByText("No bots yet")).toBeTruthy();
    expect(screen.queryByRole("list")).toBeNull();
    show({ isPending: false, error: null, data: ["Support", "Sales"] });
    expect(screen.getByRole("list", { name: "Bots" }).textContent).toBe("SupportSales");
  });
});
