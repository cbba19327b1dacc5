"""The three attacks of issue 28, replayed through the public API (GraphQL by GET and by POST, and the
bulk export) with reader keys, each failing now; and the submitter's receipt through the API."""

from __future__ import annotations

import asyncio
import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from starlette.testclient import TestClient

from schema.asgi import create_app
from service.access.api_keys import create_api_key
from service.ingest.fx import import_fx
from service.ingest.seed import load_seed
from service.platform.config import Settings
from service.platform.resources import Resources, open_resources
from service.salaries.submissions import SalarySubmission, submit_salary
from service.store import database as c
from service.summaries.grid import Grid
from service.summaries.recompute import recompute
from tests.factories.api import Api
from tests.factories.documents import add
from tests.factories.official_files import write_ecb_csv

ROLE = "backend-developer"
SUBMIT = """mutation($input: SubmitSalaryInput!) { submitSalary(input: $input) {
  created receipt observation { id } userErrors { code } } }"""
TOTALS = """query($to: String) { salarySummaries(role: "backend-developer", level: ROLE, normalizeTo: $to) {
  currency count mean stddev min max withheld heldBack } }"""
ROWS = """query { role(slug: "backend-developer") { salaryObservations(first: 100) {
  totalCount nodes { id amount company city rawTitle } } }
  salaryObservations(first: 100, filter: {role: "backend-developer"}) { totalCount nodes { amount } } }"""
MINE = "query($r: String!) { mySubmission(receipt: $r) { status observation { amount company } } }"
WITHDRAW = "mutation($r: String!) { withdrawSubmission(receipt: $r) { submission { status } userErrors { code } } }"
_keys = itertools.count()


async def submit(api: Api, amount: float, currency: str = "USD", country: str = "US", key: str = "editor") -> str:
    salary = {"role": ROLE, "amount": amount, "currency": currency, "country": country, "experienceYears": 4,
              "idempotencyKey": f"attack-{next(_keys):06d}", "year": 2024, "company": "Initech", "city": "Austin"}
    answer = (await api.data(SUBMIT, {"input": salary}, key))["submitSalary"]
    assert answer["created"] and answer["receipt"].startswith("cgr_") and not answer["userErrors"]
    return str(answer["receipt"])


async def totals(api: Api, to: str | None = None, via: str = "POST") -> dict[str, dict[str, Any]]:
    """The ROLE rows by currency, read with a reader key by POST or by GET."""
    if via == "POST":
        data = await api.data(TOTALS, {"to": to}, "reader")
    else:
        response = await api.client.get("/graphql", params={"query": TOTALS, "variables": json.dumps({"to": to})},
                                        headers={"authorization": f"Bearer {api.keys['reader']}"})
        assert response.status_code == 200, response.text
        data = response.json()["data"]
    return {row["currency"]: row for row in data["salarySummaries"]}


async def exported(api: Api) -> list[dict[str, Any]]:
    response = await api.client.get("/export/summaries.jsonl", headers={"authorization": f"Bearer {api.keys['reader']}"})
    assert response.status_code == 200
    return [json.loads(line) for line in response.text.splitlines()]


def key(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row.get(name) for name in ("level", "currency", "normalized_to", "country", "experience_band",
                                            "region_code", "year"))


def figures(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row.get(name) for name in ("count", "mean", "stddev", "p25", "median", "p75"))


def total(row: dict[str, Any]) -> float:
    return float(row["count"] * row["mean"])


@pytest.fixture
async def rates(api: Api, resources: Resources, tmp_path: Path) -> Api:
    await import_fx(resources, write_ecb_csv(tmp_path / "rates.csv", {"USD": {2024: [1.08]}, "GBP": {2024: [0.85]}}))
    return api


async def test_finding_1_a_pooled_total_less_a_native_one_gives_no_one_away(rates: Api, resources: Resources) -> None:
    """Five USD and two GBP submissions: the pooled total less the USD one used to be the two GBP
    amounts' sum (with stddev, both amounts)."""
    api = rates
    for amount in (100_000.0, 110_500.0, 121_000.0, 131_500.0, 142_000.0):
        await submit(api, amount)
    gbp = [61_000.0, 75_750.0]
    for amount in gbp:
        await submit(api, amount, "GBP", "GB")
    await recompute(resources, ROLE)
    for via in ("POST", "GET"):
        pooled, native = (await totals(api, "USD", via))["USD"], (await totals(api, None, via))["USD"]
        assert pooled["count"] - native["count"] == 0  # the pair of GBP waits for three more of its cell
        assert abs(total(pooled) - total(native)) < 1 and pooled["heldBack"]
        assert "GBP" not in await totals(api, None, via)
    rows = [r for r in await exported(api) if r["level"] == "ROLE"]
    assert {(r["currency"], r.get("normalized_to"), r["count"]) for r in rows} == {
        ("USD", None, 5), ("USD", "USD", 5), ("EUR", "EUR", 5)}
    for amount in (58_000.0, 80_000.0, 90_000.0):  # five GBP now: they are released together
        await submit(api, amount, "GBP", "GB")
    await recompute(resources, ROLE)
    pooled, native = (await totals(api, "USD"))["USD"], (await totals(api))["USD"]
    assert pooled["count"] - native["count"] == 5  # the difference holds five people, never one or two


async def test_finding_2_two_versions_never_give_a_new_submission_back(api: Api, resources: Resources) -> None:
    """(n + 1) x mean_after - n x mean_before gave a new submission's exact amount."""
    for amount in (100_000.0, 104_000.0, 108_000.0, 112_000.0, 116_000.0, 120_000.0):
        await submit(api, amount)
    await recompute(resources, ROLE)
    before = {via: (await totals(api, None, via))["USD"] for via in ("POST", "GET")}
    assert before["POST"]["min"] is None and before["POST"]["max"] is None  # one person each, never shown
    exported_before = {key(r): r for r in await exported(api)}
    await submit(api, 142_357.0, key="reader")  # the victim, another key
    await recompute(resources, ROLE)
    for via in ("POST", "GET"):
        after = (await totals(api, None, via))["USD"]
        assert after["heldBack"] and (after["count"], after["mean"]) == (before[via]["count"], before[via]["mean"])
    exported_after = {key(r): r for r in await exported(api)}  # every row of the export, every level
    assert exported_after.keys() == exported_before.keys()
    assert all(figures(exported_after[k]) == figures(exported_before[k]) for k in exported_before)
    # the sybil variant: the attacker sends the four others of the victim's release, knowing each amount
    mine = [90_000.0, 95_000.0, 99_000.0, 101_000.0]
    for amount in mine:
        await submit(api, amount)
    await recompute(resources, ROLE)
    after = (await totals(api))["USD"]
    assert after["count"] == before["POST"]["count"] + 5
    grid = Grid(resources.settings.pay_grid)
    guess = total(after) - total(before["POST"]) - float(grid.coarse(np.array(mine)).sum())
    low, high = grid.cell(float(grid.coarse(np.array([guess]))[0]))
    # what he learns is the victim's grid point (140,000): a cell of amounts, not one within 1%
    assert abs(guess - 140_000.0) <= (after["count"] + before["POST"]["count"]) / 2
    assert low < 142_357.0 * 0.99 or high > 142_357.0 * 1.01


async def test_finding_3_readers_never_read_a_submitted_row(api: Api, resources: Resources) -> None:
    receipt = await submit(api, 142_357.0)
    await add(resources.db, ROLE, [99_000.0], source="levels-fyi-export", company="Globex", city="Denver")
    for via in ("POST", "GET"):
        if via == "POST":
            data = await api.data(ROWS, key="reader")
        else:
            response = await api.client.get("/graphql", params={"query": ROWS},
                                            headers={"authorization": f"Bearer {api.keys['reader']}"})
            data = response.json()["data"]
        nodes = data["role"]["salaryObservations"]["nodes"]
        assert [n["amount"] for n in nodes] == [99_000.0] and nodes[0]["company"] == "Globex"  # the public row
        assert [n["amount"] for n in data["salaryObservations"]["nodes"]] == [99_000.0]
    admin = (await api.data(ROWS, key="admin"))["role"]["salaryObservations"]["nodes"]
    submitted = next(n for n in admin if n["amount"] == 142_357.0)
    assert submitted["company"] == "Initech" and submitted["city"] == "Austin"  # admins see every field
    node = "query($id: ID!) { node(id: $id) { ... on SalaryObservation { amount } } }"
    assert (await api.data(node, {"id": submitted["id"]}, "reader"))["node"] is None
    assert (await api.data(node, {"id": submitted["id"]}, "admin"))["node"]["amount"] == 142_357.0
    for key, expected in (("reader", [99_000.0]), ("admin", [99_000.0, 142_357.0])):
        response = await api.client.get("/export/observations.jsonl",
                                        headers={"authorization": f"Bearer {api.keys[key]}"})
        assert response.status_code == 200
        found = [json.loads(line) for line in response.text.splitlines()]
        assert sorted(r["amount"] for r in found) == expected
        assert all("receipt_sha256" not in r and "release_hold" not in r for r in found)
        assert key == "reader" or {r.get("company") for r in found} == {"Globex", "Initech"}
    own = (await api.data(MINE, {"r": receipt}))["mySubmission"]  # no key needed: the receipt is the key
    assert own == {"status": "PENDING", "observation": {"amount": 142_357.0, "company": "Initech"}}


async def test_a_receipt_opens_and_withdraws_its_own_submission_only(api: Api, resources: Resources) -> None:
    first, second = await submit(api, 101_000.0), await submit(api, 202_000.0, key="reader")
    assert (await api.data(MINE, {"r": second}))["mySubmission"]["observation"]["amount"] == 202_000.0
    wrong = first[:-2] + ("AA" if not first.endswith("AA") else "BB")
    for guess in (wrong, "", "cgr_", "x" * 300):
        assert (await api.data(MINE, {"r": guess}))["mySubmission"] is None
        refused = (await api.data(WITHDRAW, {"r": guess}))["withdrawSubmission"]
        assert refused == {"submission": None, "userErrors": [{"code": "NOT_FOUND"}]}
    done = (await api.data(WITHDRAW, {"r": first}))["withdrawSubmission"]
    assert done == {"submission": {"status": "WITHDRAWN"}, "userErrors": []}
    assert (await api.data(MINE, {"r": first}))["mySubmission"]["status"] == "WITHDRAWN"
    assert (await api.data(MINE, {"r": second}))["mySubmission"]["status"] == "PENDING"  # the other is untouched
    await recompute(resources, ROLE)
    await recompute(resources, ROLE)  # the release that dropped it is settled: the row is gone
    assert (await api.data(MINE, {"r": first}))["mySubmission"] is None


def test_a_socket_gets_what_get_and_post_get(settings: Settings) -> None:
    """Queries over graphql-transport-ws, the subscriptions' socket: readers get the public rows only,
    no min or max, and a victim's submission moves nothing until its release."""
    async def stored(amounts: list[float], public: bool = False) -> str:
        async with open_resources(settings) as resources:
            await c.ensure_collections(resources.db)
            if public:
                await load_seed(resources.db)
                await add(resources.db, ROLE, [99_000.0], source="levels-fyi-export", company="Globex")
            for amount in amounts:
                sub = SalarySubmission(role=ROLE, amount=amount, currency="USD", country="US", experience_years=4,
                                       idempotency_key=f"socket-{next(_keys):06d}", year=2024, company="Initech")
                assert (await submit_salary(resources, sub, "k1")).created
            await recompute(resources, ROLE)
            return await create_api_key(resources.db, "reader")

    def ask(ws: Any, op: str, query: str) -> dict[str, Any]:
        ws.send_json({"id": op, "type": "subscribe", "payload": {"query": query, "variables": {"to": None}}})
        answer = ws.receive_json()
        assert (answer["type"], answer["id"], ws.receive_json()["type"]) == ("next", op, "complete"), answer
        assert "errors" not in answer["payload"], answer["payload"]
        return dict(answer["payload"]["data"])

    key = asyncio.run(stored([100_000.0, 104_000.0, 108_000.0, 112_000.0, 116_000.0], public=True))
    with TestClient(create_app(settings)) as client, \
            client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init", "payload": {"authorization": f"Bearer {key}"}})
        assert ws.receive_json()["type"] == "connection_ack"
        rows = ask(ws, "1", ROWS)["role"]["salaryObservations"]
        assert (rows["totalCount"], rows["nodes"][0]["amount"], rows["nodes"][0]["company"]) == (1, 99_000.0, "Globex")
        (before,) = ask(ws, "2", TOTALS)["salarySummaries"]
        assert (before["count"], before["min"], before["max"]) == (6, None, None)
        asyncio.run(stored([142_357.0]))  # the victim
        (after,) = ask(ws, "3", TOTALS)["salarySummaries"]
        assert after["heldBack"] and (after["count"], after["mean"]) == (before["count"], before["mean"])
