/**
 * A plain node:http server bound and closable the same way everywhere: the metrics
 * listener of api and chat, and the worker's ops server.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface HttpListener {
  server: Server;
  /** The bound port (useful when `port` was 0). */
  port: number;
  /** Stops listening and drops open connections (scrapes and probes are short). */
  close(): Promise<void>;
}

/** Listens on host:port; rejects with the listen error (a taken port, say). */
export async function listenHttp(server: Server, host: string, port: number): Promise<HttpListener> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
