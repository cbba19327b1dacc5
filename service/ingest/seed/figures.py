"""Every salary and outlook figure the articles publish, each with its article as source.

The band figures of the first article carry no country; they are in US dollars and sit beside a
U.S. BLS outlook, so careergraph records them as United States figures and says so in `scope`.
"""

from __future__ import annotations

from service.official.model import Outlook, SalaryBenchmark

GUIDE, WHAT_IS, Y2024 = "article-backend-guide", "article-backend-what-is", "article-backend-2024"
US_IMPLIED = "United States implied: US dollars beside a U.S. BLS outlook"


def _usd(key: str, amount: float, band: str | None, scope: str, source: str = GUIDE,
         statistic: str = "mean") -> SalaryBenchmark:
    return SalaryBenchmark(key=key, role="backend-developer", statistic=statistic, amount=amount,
                           currency="USD", country="US", experience_band=band, scope=scope,
                           source=source)


def _inr(role: str, amount: float) -> SalaryBenchmark:
    return SalaryBenchmark(key=f"2024-{role}-in-mean", role=role, statistic="mean", amount=amount,
                           currency="INR", country="IN", scope="India (figure given in INR)",
                           source=Y2024)


BENCHMARKS: tuple[SalaryBenchmark, ...] = (
    _usd("guide-backend-us-mean", 82_326, None, f"All experience levels; {US_IMPLIED}"),
    _usd("guide-backend-us-entry", 72_514, "entry", f"Entry level, 0-1 year; {US_IMPLIED}"),
    _usd("guide-backend-us-early", 75_435, "early", f"Early career, 1-3 years; {US_IMPLIED}"),
    _usd("guide-backend-us-mid", 83_789, "mid", f"Mid-career, 4-6 years; {US_IMPLIED}"),
    _usd("guide-backend-us-experienced", 87_979, "experienced", f"Experienced, 7-9 years; {US_IMPLIED}"),
    _usd("what-is-backend-us-mean", 130_000, None,
         "About $130K a year; the article attributes it to PayScale", source=WHAT_IS),
    _usd("2024-backend-us-mean", 110_000, None,
         "Over $110,000 a year in the U.S.; the article attributes it to Glassdoor", source=Y2024,
         statistic="minimum"),
    _usd("2024-backend-us-big-tech", 150_000, None,
         "$150,000 or more for experienced developers at major tech companies", source=Y2024,
         statistic="minimum"),
    _inr("java-developer", 7_770_000),
    _inr("python-web-developer", 8_820_000),
    _inr("api-services-engineer", 9_945_000),
    _inr("lead-backend-engineer", 10_125_000),
    _inr("director-of-engineering", 12_495_000),
)

OUTLOOKS: tuple[Outlook, ...] = (
    Outlook(key="guide-web-developers-2030", subject="backend-developer",
            subject_label="web developers, back-end developers included (U.S. BLS)", region="US",
            period="to 2030", growth_percent=13.0, source=GUIDE),
    Outlook(key="2024-software-developers-2020-2030", subject="backend-developer",
            subject_label="software developers overall (U.S. BLS)", region="US",
            period="2020-2030", growth_percent=21.0, source=Y2024),
    Outlook(key="what-is-backend-openings", subject="backend-developer",
            subject_label="back-end developers, as the article states", region="US",
            openings_per_year=13_400, source=WHAT_IS),
)
