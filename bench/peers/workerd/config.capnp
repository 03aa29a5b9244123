# workerd configuration for the seed 004 chat. The listening address and the storage
# directory are set on the command line by start.sh:
#   workerd serve config.capnp --socket-addr http=127.0.0.1:PORT --directory-path do-storage=DIR
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "chat", worker = .chatWorker),
    (name = "do-storage", disk = (path = "/tmp/parley-bench-workerd", writable = true)),
  ],
  sockets = [(name = "http", address = "127.0.0.1:8790", http = (), service = "chat")],
);

const chatWorker :Workerd.Worker = (
  modules = [(name = "chat.js", esModule = embed "chat.js")],
  compatibilityDate = "2025-09-01",
  durableObjectNamespaces = [
    (className = "ChatRoom", uniqueKey = "parley-bench-chat-room", enableSql = true),
  ],
  durableObjectStorage = (localDisk = "do-storage"),
  bindings = [(name = "CHAT_ROOM", durableObjectNamespace = "ChatRoom")],
);
