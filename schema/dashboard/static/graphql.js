// The dashboard's GraphQL client: reads over GET (so answers revalidate with their ETags),
// and subscriptions over graphql-transport-ws. Nothing here is private to the dashboard.
const KEY = "careergraph.apiKey";

export class GraphQLError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join("; "));
    this.codes = errors.map((e) => (e.extensions && e.extensions.code) || "ERROR");
  }
}

export function apiKey() {
  return sessionStorage.getItem(KEY) || "";
}

export function setApiKey(value) {
  if (value) sessionStorage.setItem(KEY, value.trim());
  else sessionStorage.removeItem(KEY);
}

function headers() {
  const found = { accept: "application/graphql-response+json, application/json" };
  if (apiKey()) found.authorization = `Bearer ${apiKey()}`;
  return found;
}

export async function query(document, variables = {}) {
  const params = new URLSearchParams({ query: document, variables: JSON.stringify(variables) });
  let response;
  try {
    response = await fetch(`/graphql?${params}`, { headers: headers(), cache: "no-cache" });
  } catch (error) {
    throw new GraphQLError([{ message: "the server cannot be reached", extensions: { code: "UNREACHABLE" } }]);
  }
  let body;
  try {
    body = await response.json();
  } catch (error) {
    throw new GraphQLError([{ message: `the server answered ${response.status}`, extensions: { code: "BAD_RESPONSE" } }]);
  }
  if (body.errors && body.errors.length) throw new GraphQLError(body.errors);
  return body.data;
}

// Calls onNotice(data) for each notice; onState(text) as the connection comes and goes.
// Reconnects with a growing delay, except when the server refuses the key.
export function subscribe(document, variables, onNotice, onState) {
  let socket = null;
  let attempt = 0;
  let stopped = false;
  const open = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/graphql`, "graphql-transport-ws");
    socket.onopen = () => {
      const payload = apiKey() ? { authorization: `Bearer ${apiKey()}` } : {};
      socket.send(JSON.stringify({ type: "connection_init", payload }));
    };
    socket.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (message.type === "connection_ack") {
        attempt = 0;
        onState("live");
        socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: document, variables } }));
      } else if (message.type === "next" && message.payload && message.payload.data) {
        onNotice(message.payload.data);
      } else if (message.type === "ping") {
        socket.send(JSON.stringify({ type: "pong" }));
      }
    };
    socket.onclose = (event) => {
      if (stopped) return;
      if (event.code === 4403) {
        onState("refused");
        return;
      }
      onState("reconnecting");
      setTimeout(open, Math.min(30000, 1000 * 2 ** attempt++));
    };
  };
  open();
  return () => {
    stopped = true;
    if (socket) socket.close(1000);
  };
}
