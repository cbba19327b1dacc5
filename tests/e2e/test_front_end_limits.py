"""The real server's front end against slow, large and spoofing clients (findings 5 and 11 of an earlier
review), and a full server's probes (issue 27, finding 5)."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx

from service.platform.config import Settings
from tests.e2e.processes import api_process, env_for

QUERY = '{"query": "{ __typename }"}'


def port_of(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


def connected(base: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port_of(base)), timeout=10)
    sock.settimeout(10)
    return sock


def answer(sock: socket.socket) -> bytes:
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_slow_and_oversized_requests_are_cut_off(settings: Settings, tmp_path: Path) -> None:
    env = env_for(settings.mongodb_url or "", settings.redis_url or "", settings.mongodb_db,
                  CAREERGRAPH_READ_TIMEOUT="1")
    with api_process(env, tmp_path) as base:
        huge = connected(base)
        huge.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 20_000 + b"\r\n\r\n")
        assert answer(huge).startswith(b"HTTP/1.1 431")

        for head in (b"", b"GET /healthz HTTP/1.1\r\nHost: x\r\n"):  # silent, and headers never finished
            slow = connected(base)
            slow.sendall(head)
            started = time.monotonic()
            reply = answer(slow)
            assert time.monotonic() - started < 5 and (reply.startswith(b"HTTP/1.1 408") or reply == b"")

        dribble = connected(base)
        dribble.sendall(b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        b"Content-Length: " + str(len(QUERY)).encode() + b"\r\n\r\n")
        started = time.monotonic()
        try:
            for byte in QUERY[:6].encode():
                dribble.sendall(bytes([byte]))
                time.sleep(0.4)
        except OSError:  # the server gave up on the body and closed: what it said is still readable
            pass
        reply = answer(dribble)
        assert reply.startswith(b"HTTP/1.1 408") and b"REQUEST_TIMEOUT" in reply
        assert time.monotonic() - started < 6
        assert httpx.get(f"{base}/healthz").status_code == 200  # and the server carries on


def test_connections_beyond_the_limit_are_refused_with_503_but_probes_answer(settings: Settings,
                                                                              tmp_path: Path) -> None:
    env = env_for(settings.mongodb_url or "", settings.redis_url or "", settings.mongodb_db,
                  CAREERGRAPH_MAX_CONNECTIONS="2")
    with api_process(env, tmp_path) as base:
        held = [connected(base) for _ in range(2)]
        time.sleep(0.3)
        refused = httpx.post(f"{base}/graphql", json={"query": "{ __typename }"})
        assert refused.status_code == 503
        # a full server still says it is alive, and ready, so that nobody restarts it for being busy
        assert httpx.get(f"{base}/healthz").status_code == 200
        assert httpx.get(f"{base}/readyz").json() == {"status": "ready"}
        for sock in held:
            sock.close()
        time.sleep(0.3)
        assert httpx.post(f"{base}/graphql", json={"query": "{ __typename }"}).status_code == 200


def hammer(base: str, spoofed: bool) -> list[int]:
    statuses = []
    for i in range(5):
        headers = {"x-forwarded-for": f"203.0.113.{i}"} if spoofed else {}
        statuses.append(httpx.post(f"{base}/graphql", json={"query": "{ __typename }"}, headers=headers).status_code)
    return statuses


def test_forwarded_for_buys_no_fresh_bucket_unless_the_proxy_is_trusted(settings: Settings, tmp_path: Path) -> None:
    tight = {"CAREERGRAPH_RATE_LIMIT_POINTS": "3", "CAREERGRAPH_RATE_LIMIT_REFILL": "0.01"}
    env = {**env_for(settings.mongodb_url or "", settings.redis_url or "", settings.mongodb_db), **tight}
    with api_process(env, tmp_path) as base:
        assert hammer(base, spoofed=True) == [200, 200, 200, 429, 429]  # one client, one bucket
    trusted = {**env, "CAREERGRAPH_TRUSTED_PROXIES": "127.0.0.1", "MONGODB_DB": f"{settings.mongodb_db}_proxy"}
    with api_process(trusted, tmp_path) as base:
        assert hammer(base, spoofed=True) == [200] * 5  # behind a named proxy, each address is a client
