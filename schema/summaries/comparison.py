"""GraphQL types of `Role.payComparison`: crowd pay beside BLS OEWS's for one role and area."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.relay import model_field
from schema.summaries.types import SummarySource
from service.summaries import model


@strawberry.type(description="One occupation's official figures beside the crowd's median.")
class OfficialMedian:
    model: strawberry.Private[model.OfficialMedian]

    occupation: str = model_field("occupation", "SOC code, e.g. 15-1252.")
    annual_median: float | None = model_field("annual_median", "BLS OEWS annual median wage, USD; null when BLS "
                                              "gives it only as a bound (`atLeast`) or did not release it.")
    at_least: float | None = model_field("at_least", "BLS's lower bound when the median is above what it "
                                         "publishes (footnote 5: at least $239,200 a year).")
    employment: float | None = model_field("employment", "Jobs in the occupation and area.")
    wage_rse: float | None = model_field("wage_rse", "Relative standard error of the mean wage, percent.")
    ratio: float | None = model_field("ratio", "Crowd median / official median.")
    diverges: bool | None = model_field("diverges", "The medians differ by more than their sampling errors "
                                        "explain (see `basis`); null without both medians.")
    source: str | None = model_field("source", "The official figures' source.")


@strawberry.type(description="Crowd pay (normalised to USD at each observation's year) beside official wages "
                             "(BLS OEWS, all industries, newest release) for a role in one area.")
class PayComparison:
    model: strawberry.Private[model.PayComparison]

    role: str = model_field("role")
    area: str = model_field("area", "OEWS area code (0000000 is the nation; SS00000 a state).")
    region_code: str | None = model_field("region_code", "The crowd's ISO 3166-2 region, for a state.")
    crowd_median: float | None = model_field("crowd_median", "USD; null when the crowd's group is withheld.")
    crowd_count: int = model_field("crowd_count", "Crowd observations behind the median.")
    crowd_withheld: bool = model_field("crowd_withheld")

    @strawberry.field(description="The role's occupations' official figures, largest employment first.")
    def official(self) -> list[OfficialMedian]:
        return [OfficialMedian(model=m) for m in self.model.official]

    note: str = model_field("note", "Why crowd and official figures differ, in words.")
    basis: str = model_field("basis", "How `diverges` is decided.")
    computed_at: datetime | None = model_field("computed_at")

    @strawberry.field
    def source(self) -> SummarySource | None:
        return SummarySource(self.model.source) if self.model.source else None
