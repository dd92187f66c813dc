/**
 * What a card shows for a query: skeleton rows while it loads, the error in words when it
 * fails, the empty state when there is nothing yet, otherwise the content (a table or
 * list) built from the data.
 */
import type { ReactNode } from "react";
import { ErrorMessage, SkeletonRows } from "./feedback";

/** The part of a TanStack Query result this needs. */
interface QueryLike<T> {
  isPending: boolean;
  error: unknown;
  data: T | undefined;
}

export interface QueryStateProps<T> {
  query: QueryLike<T>;
  /** Heading of the error alert, e.g. "Could not load bots"; the API's message follows it. */
  errorTitle?: string;
  /** Skeleton rows while loading. */
  rows?: number;
  /** Shown instead of the content when `isEmpty` says there is nothing to list. */
  empty: ReactNode;
  /** Defaults to "the data is an empty array". */
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}

const emptyArray = (data: unknown) => Array.isArray(data) && data.length === 0;

export function QueryState<T>({ query, errorTitle, rows, empty, isEmpty = emptyArray, children }: QueryStateProps<T>) {
  if (query.isPending) return <SkeletonRows {...(rows ? { rows } : {})} />;
  if (query.error || query.data === undefined) {
    return (
      <div className="card-body">
        <ErrorMessage error={query.error} {...(errorTitle ? { title: errorTitle } : {})} />
      </div>
    );
  }
  return <>{isEmpty(query.data) ? empty : children(query.data)}</>;
}
