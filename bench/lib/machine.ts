// What the figures were measured on.

import { cpus, release, totalmem, type } from "node:os";

export interface Machine {
  cpu: string;
  cores: number;
  memory_gb: number;
  os: string;
}

export function describeMachine(): Machine {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? "unknown",
    cores: cores.length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
  };
}
