// Starts GraphiQL against the /graphql endpoint that served this page. React, ReactDOM and GraphiQL
// come from this same server (/graphiql/), pinned and checked against SHA256SUMS, so the IDE needs
// no internet access. `?q=` in the address sets the document it opens with.
"use strict";

(function start() {
  const page = new URL(window.location.href);
  const endpoint = page.origin + page.pathname;
  const opening = "# careergraph's GraphQL API: Ctrl-Enter runs the document, the Docs pane lists every field.\n" +
    "# A key, where one is needed, goes in Headers: {\"Authorization\": \"Bearer cg_...\"}\n" +
    "{\n  serviceInfo { version }\n  roles(first: 3) { edges { node { slug title } } }\n}\n";
  const fetcher = GraphiQL.createFetcher({ url: endpoint, subscriptionUrl: endpoint.replace(/^http/, "ws") });
  const options = { fetcher: fetcher, defaultQuery: opening, defaultEditorToolsVisibility: true };
  const asked = page.searchParams.get("q");
  if (asked) options.query = asked;
  ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(GraphiQL, options));
})();
