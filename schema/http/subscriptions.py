"""graphql-transport-ws with the front door on every `subscribe`: Strawberry's handler, whose
operations are admitted as HTTP requests are (`schema.http.door`: read once, the persisted query
policy and the allow-list, the price, one charge), with the socket's caller, rechecked as its
context says (`Context.principal`). A refused operation gets `respond()`'s answer for a socket: its
`next` with the error, and `complete`."""

from __future__ import annotations

import contextlib
from typing import Any

from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler, Operation
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage

from schema.context import Context
from schema.http import respond
from schema.http.operation import from_subscribe
from schema.http.respond import Refusal
from schema.policy.limits import Cost, charged_cost
from service.errors import CareerGraphError


class DoorTransportWS(BaseGraphQLTransportWSHandler[Context, None]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.costs: dict[str, Cost] = {}  # what each admitted operation was charged, until it starts

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if not self.connection_acknowledged or message["id"] in self.operations:
            await super().handle_subscribe(message)  # Strawberry closes the socket for these
            return
        context = self.context
        try:
            try:
                principal = await context.principal()
            except CareerGraphError as exc:
                raise Refusal(exc.code, exc.message) from None
            operation = from_subscribe(dict(message["payload"]))
            address = context.request.client.host if context.request.client else None
            door = self.view.door  # type: ignore[attr-defined]
            priced = await door.price(context.resources, operation, principal)
            admitted = await door.admit(context.resources, priced, principal, address)
        except Refusal as refusal:
            with contextlib.suppress(RuntimeError, WebSocketDisconnected):  # closed meanwhile (a revoked key)
                for answer in respond.ws_refusal(message["id"], refusal):
                    await self.send_message(answer)  # type: ignore[arg-type]
            return
        self.costs[message["id"]] = admitted.cost
        payload = {**message["payload"], "query": admitted.operation.query}
        await super().handle_subscribe({**message, "payload": payload})  # type: ignore[typeddict-item]

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        """Runs in the operation's own task: the cost it was charged is its own."""
        charged_cost.set(self.costs.pop(operation.id, None))
        await super().run_operation(operation)
