// Records the IPC traffic of this page for the end-to-end secrets audit (debug builds, on request
// only): every command the page sends (the `ipc://` request body) and every answer, error, event
// and channel message it receives (each arrives through a callback in `__TAURI_INTERNALS__`).
(function () {
  const transcript = [];
  Object.defineProperty(window, "__HIREBRIDGE_IPC_TRANSCRIPT__", { value: transcript });
  const decoder = new TextDecoder();
  const text = (data) => {
    if (data == null) return "";
    if (typeof data === "string") return data;
    if (data instanceof ArrayBuffer) return decoder.decode(new Uint8Array(data));
    if (ArrayBuffer.isView(data)) return decoder.decode(data);
    try {
      return JSON.stringify(data);
    } catch {
      return String(data);
    }
  };
  const record = (kind, name, data) => transcript.push({ kind, name, data: text(data) });

  const fetchBefore = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === "string" ? input : String(input && input.url);
    if (url.startsWith("ipc:") || url.includes("://ipc.localhost/")) {
      record("call", decodeURIComponent(url.split("/").pop() || ""), init && init.body);
    }
    return fetchBefore.apply(this, arguments);
  };

  const callbacks = window.__TAURI_INTERNALS__ && window.__TAURI_INTERNALS__.callbacks;
  if (callbacks instanceof Map) {
    callbacks.set = function (id, callback) {
      return Map.prototype.set.call(this, id, (data) => {
        record("received", String(id), data);
        return callback(data);
      });
    };
    transcript.push({ kind: "installed", name: "callbacks", data: "" });
  }
})();
