"""Benchmark outcomes: PASS or MISS against each target, printed, and written as JSON and markdown."""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from service.platform.terminal import table


@dataclass
class Outcome:
    scenario: str
    measure: str
    value: float | None
    unit: str  # "x" for ratios, "ms", "s", "MB"
    target: str  # e.g. ">= 0.5", "<= 3"; "info" for a figure reported without a target
    stretch: str = ""
    detail: str = ""
    figures: dict[str, Any] = field(default_factory=dict)  # absolute figures (this machine only)
    reason: str = ""  # why there is no value: the measure's subject failed or was too slow (a MISS)

    @staticmethod
    def _meets(value: float | None, rule: str) -> bool | None:
        if value is None or not rule or rule == "info":
            return None
        op, _, bound = rule.partition(" ")
        return value >= float(bound) if op == ">=" else value <= float(bound)

    @property
    def status(self) -> str:
        met = self._meets(self.value, self.target)
        if met is None:
            if self.target == "info" and self.value is not None:
                return "INFO"
            return "MISS" if self.reason else "SKIP"
        return "PASS" if met else "MISS"

    @property
    def stretch_status(self) -> str:
        met = self._meets(self.value, self.stretch)
        return "" if met is None else ("met" if met else "not met")


def machine() -> dict[str, Any]:
    model = ""
    memory = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
        kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
        memory = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, StopIteration, ValueError):
        pass
    return {"cpu": model, "cores": os.cpu_count(), "memory": memory, "os": platform.platform(),
            "python": sys.version.split()[0]}


def _value(outcome: Outcome) -> str:
    if outcome.value is None:
        return "-"
    return f"{outcome.value:.2f}{'x' if outcome.unit == 'x' else ' ' + outcome.unit}"


def markdown(outcomes: list[Outcome], meta: dict[str, Any]) -> str:
    lines = [f"careergraph bench ({meta['mode']}, {meta['observations']:,} observations, {meta['started']})",
             "", "| scenario | measure | result | target | stretch | status "
             "| absolute figures (this machine only) |",
             "|---|---|---|---|---|---|---|"]
    for o in outcomes:
        figures = "; ".join([*(f"{k} {v}" for k, v in o.figures.items()), *([f"why: {o.reason}"] if o.reason else [])])
        stretch = f"{o.stretch} ({o.stretch_status})" if o.stretch else ""
        lines.append(f"| {o.scenario} | {o.measure} | {_value(o)} | {o.target} | {stretch} | {o.status} "
                     f"| {figures}{' (' + o.detail + ')' if o.detail else ''} |")
    m = meta["machine"]
    lines += ["", f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, {m['os']}, Python {m['python']}; "
              f"{meta.get('servers', '')}. Load: {meta.get('client', '')}."]
    return "\n".join(lines) + "\n"


def console(outcomes: list[Outcome]) -> None:
    """The summary table of a run, on stdout."""
    table("careergraph bench", ["status", "measure", "value", "target", "stretch"],
          [[o.status, f"{o.scenario}: {o.measure}", _value(o), o.target,
            f"{o.stretch} {o.stretch_status}" if o.stretch else ""] for o in outcomes], right=["value"],
          colours={"PASS": "green", "MISS": "red", "SKIP": "yellow"})


def write(outcomes: list[Outcome], meta: dict[str, Any], out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    json_path, md_path = out_dir / f"bench-{stamp}.json", out_dir / f"bench-{stamp}.md"
    json_path.write_text(json.dumps({
        "meta": meta, "outcomes": [{**asdict(o), "status": o.status, "stretch_status": o.stretch_status}
                                   for o in outcomes]}, indent=2, default=str))
    md_path.write_text(markdown(outcomes, meta))
    return json_path, md_path
