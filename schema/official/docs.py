"""Descriptions of the published and official figures (benchmarks, outlooks, BLS OEWS wages), by schema
coordinate (`Type`, `Type.field`, `Type.field(argument:)`, `Enum.VALUE`).

Every description in the schema lives in a `docs.py` like this one (the code carries none):
`schema.describe` puts them on the built schema and refuses an entry that names nothing or
that the code already describes, and `tests/schema/test_schema_changes.py` fails when a type,
field, argument or enum value has no description."""

from service.official.oews_model import NOTICE

DESCRIPTIONS: dict[str, str] = {
    # Area
    "Area": "An OEWS area: the nation, a state or a metropolitan area.",
    "Area.code": "OEWS area code, 7 digits (0000000 is the nation).",
    "Area.name": "The area's name, as BLS writes it, e.g. \"Austin-Round Rock-San Marcos, TX\".",
    "Area.type": "NATIONAL, STATE or METRO.",
    "Area.state": "The state's FIPS code (\"48\" is Texas); null for the nation.",
    # AreaType
    "AreaType": "What an OEWS area is: the nation, a state (or DC, PR, GU, VI), or a metropolitan area.",
    "AreaType.NATIONAL": "The United States as a whole.",
    "AreaType.STATE": "A state, the District of Columbia or a territory.",
    "AreaType.METRO": "A metropolitan or nonmetropolitan statistical area.",
    # Occupation
    "Occupation": ("An occupation of the Standard Occupational Classification (SOC 2018), as OEWS publishes "
                   "it. Roles reach it through their O*NET codes (15-1252.00 is SOC 15-1252)."),
    "Occupation.code": "SOC code, e.g. 15-1252.",
    "Occupation.title": "Its title in the OEWS release.",
    "Occupation.groups": "The major, minor and broad groups it belongs to, widest first.",
    # OccupationGroup
    "OccupationGroup": "A group of the Standard Occupational Classification, e.g. 15-1250.",
    "OccupationGroup.code": "SOC code of the group.",
    "OccupationGroup.title": "Its title in the OEWS release, where it has one.",
    "OccupationGroup.level": "major, minor or broad.",
    # OfficialWage
    "OfficialWage": ("Employment and wages of one occupation in one OEWS area and industry, as BLS "
                     "published them (May 2025 release unless a newer one was imported). A null figure was "
                     "not released, or is a bound (see `atLeast`). " + NOTICE),
    "OfficialWage.employment": "Jobs, rounded to the nearest 10 (self-employed not counted).",
    "OfficialWage.employmentRse": "Relative standard error of `employment`, percent.",
    "OfficialWage.hourlyMean": "Mean hourly wage, USD.",
    "OfficialWage.annualMean": "Mean annual wage, USD.",
    "OfficialWage.wageRse": "Relative standard error of the mean wage, percent.",
    "OfficialWage.hourlyP10": "10th percentile hourly wage, USD.",
    "OfficialWage.hourlyP25": "25th percentile hourly wage, USD.",
    "OfficialWage.hourlyMedian": "Median hourly wage, USD.",
    "OfficialWage.hourlyP75": "75th percentile hourly wage, USD.",
    "OfficialWage.hourlyP90": "90th percentile hourly wage, USD.",
    "OfficialWage.annualP10": "10th percentile annual wage, USD.",
    "OfficialWage.annualP25": "25th percentile annual wage, USD.",
    "OfficialWage.annualMedian": "Median annual wage, USD.",
    "OfficialWage.annualP75": "75th percentile annual wage, USD.",
    "OfficialWage.annualP90": "90th percentile annual wage, USD.",
    "OfficialWage.jobsPer1000": "Jobs in the occupation per 1,000 jobs in the area.",
    "OfficialWage.locationQuotient": "The occupation's share of the area's jobs over its share of the nation's.",
    "OfficialWage.occupation": "The occupation (SOC).",
    "OfficialWage.area": "The area the figures are for.",
    "OfficialWage.industry": "OEWS industry code; 000000 is all industries, private and public.",
    "OfficialWage.industryName": "The industry's name.",
    "OfficialWage.atLeast": "Figures published only as bounds (BLS footnote 5).",
    "OfficialWage.notReleased": "Figures BLS did not release for this cell (shown as \"-\" in its files).",
    "OfficialWage.release": "The release, e.g. 2025A01 (May 2025).",
    "OfficialWage.source": "Where the figures come from: BLS, the release, its files' checksums.",
    # Outlook
    "Outlook": "Growth outlook for a role over a period.",
    "Outlook.subjectLabel": "What the publisher measured, e.g. \"software developers\".",
    "Outlook.region": "Where the outlook applies, e.g. \"United States\".",
    "Outlook.period": "The projection period, e.g. \"2024-2034\".",
    "Outlook.growthPercent": "Projected employment change over the period, in percent.",
    "Outlook.openingsPerYear": "Projected job openings a year over the period.",
    "Outlook.role": "The role the outlook is for.",
    "Outlook.source": "The publication the outlook comes from.",
    # Role
    "Role.salaryBenchmarks": "Published salary figures, each with its source.",
    "Role.outlooks": "Growth outlooks, each with its source.",
    "Role.officialWages": ("Official employment and wages (BLS OEWS) of the role's occupations, one entry "
                           "an occupation and area: the nation unless `area` (an OEWS area code) or "
                           "`areaType` says otherwise; all industries unless `industry` names one."),
    "Role.officialWages(area:)": ("An OEWS area code (0000000 the nation, SS00000 a state, 7 digits a "
                                  "metro) or US, TX, US-TX."),
    "Role.officialWages(areaType:)": "Every area of this type instead of one.",
    "Role.officialWages(industry:)": "A 6-character OEWS industry code (000000, all industries, is the default).",
    "Role.officialWages(first:)": "How many entries, 1 to 100.",
    "Role.occupations": "The SOC occupations the role's O*NET codes belong to.",
    # SalaryBenchmark
    "SalaryBenchmark": "A published pay figure, e.g. the mean for a role in a country.",
    "SalaryBenchmark.statistic": "mean, median, minimum (\"X or more\") or range",
    "SalaryBenchmark.amount": "The figure (the lower bound of a range); null when the source gives none.",
    "SalaryBenchmark.amountMax": "The upper bound of a range; null otherwise.",
    "SalaryBenchmark.currency": "ISO 4217.",
    "SalaryBenchmark.country": "ISO 3166-1 alpha-2; null for a worldwide figure.",
    "SalaryBenchmark.period": "What the amount is per: year, month or hour.",
    "SalaryBenchmark.scope": "What the figure covers, in words, with its attribution.",
    "SalaryBenchmark.experienceBand": "The band the figure is for; null when it covers every level.",
    "SalaryBenchmark.role": "The role the figure is for.",
    "SalaryBenchmark.source": "The publication the figure comes from.",
    # WageBound
    "WageBound": "A figure BLS publishes only as a bound: the wage is at least this much.",
    "WageBound.figure": "Which figure, e.g. annualP90.",
    "WageBound.atLeast": "The bound (USD): $115.00 an hour or $239,200 a year.",
    # Query
    "Query.areas": "OEWS areas (the nation, states, metro areas) by name and type, by type then name; 1-100.",
    "Query.areas(search:)": ("Part of the area's name, 1-100 characters, case ignored, e.g. \"Austin\"; omit "
                             "for every area."),
    "Query.areas(type:)": "Only areas of this type.",
    "Query.areas(first:)": "How many areas, 1 to 100.",
    "Query.officialWages": ("Official employment and wages (BLS OEWS) of a role's occupations, as "
                            "`Role.officialWages` gives them; this root form is served from the response "
                            "cache (official figures change only by an import, which publishes a new "
                            "summary version)."),
    "Query.officialWages(role:)": "A role slug.",
    "Query.officialWages(area:)": ("An OEWS area code (0000000 the nation, SS00000 a state, 7 digits a "
                                   "metro) or US, TX, US-TX."),
    "Query.officialWages(areaType:)": "Every area of this type instead of one.",
    "Query.officialWages(industry:)": "A 6-character OEWS industry code (000000, all industries, is the default).",
    "Query.officialWages(first:)": "How many entries, 1 to 100.",
}
