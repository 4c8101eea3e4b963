# workerd serving the peer worker (worker.js) on the "http" socket; the bench sets the address
# (--socket-addr) and the storage folder (--directory-path) on the command line.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .peer),
    (name = "storage", disk = (writable = true)),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const peer :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-04-01",
  durableObjectNamespaces = [(className = "Counter", uniqueKey = "troupe-bench-counter", enableSql = true)],
  durableObjectStorage = (localDisk = "storage"),
  bindings = [(name = "COUNTER", durableObjectNamespace = "Counter")],
);
