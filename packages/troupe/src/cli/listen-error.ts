// What to tell someone whose server could not listen: which address, and what to do about it.

interface ListenError {
  code?: string;
}

/** A readable Error for a failed listen (port taken, no permission), or `error` itself. */
export function explainListenError(error: unknown, host: string, port: number): unknown {
  const code = (error as ListenError | null)?.code;
  if (code === "EADDRINUSE") {
    return new Error(
      `Port ${port} on ${host} is already in use: another troupe (or another server) is listening there.\n` +
        `Stop that process, or serve on another port: --port ${port + 1}, or --port 0 for any free port (env TROUPE_PORT works too).`,
    );
  }
  if (code === "EACCES") {
    return new Error(
      `Not allowed to listen on port ${port} on ${host}. Ports below 1024 need privileges: use a port from 1024 up, e.g. --port 6420.`,
    );
  }
  if (code === "EADDRNOTAVAIL") {
    return new Error(`${host} is not an address of this machine. Use --host 127.0.0.1, or --host 0.0.0.0 for every interface.`);
  }
  return error;
}
