"""Descriptions of the published and official figures' plain fields and arguments, by schema
coordinate (applied by `schema.describe`; see `schema/catalog/docs.py`)."""

AREA = "An OEWS area code (0000000 the nation, SS00000 a state, 7 digits a metro) or US, TX, US-TX."
DESCRIPTIONS: dict[str, str] = {
    "AreaType.NATIONAL": "The United States as a whole.",
    "AreaType.STATE": "A state, the District of Columbia or a territory.",
    "AreaType.METRO": "A metropolitan or nonmetropolitan statistical area.",
    "Query.areas(search:)": ("Part of the area's name, 1-100 characters, case ignored, e.g. \"Austin\"; "
                             "omit for every area."),
    "Query.areas(type:)": "Only areas of this type.",
    "Query.areas(first:)": "How many areas, 1 to 100.",
    "Query.officialWages(role:)": "A role slug.",
    "Query.officialWages(area:)": AREA,
    "Query.officialWages(areaType:)": "Every area of this type instead of one.",
    "Query.officialWages(industry:)": "A 6-character OEWS industry code (000000, all industries, is the default).",
    "Query.officialWages(first:)": "How many entries, 1 to 100.",
    "Role.officialWages(area:)": AREA,
    "Role.officialWages(areaType:)": "Every area of this type instead of one.",
    "Role.officialWages(industry:)": "A 6-character OEWS industry code (000000, all industries, is the default).",
    "Role.officialWages(first:)": "How many entries, 1 to 100.",
    "SalaryBenchmark.amount": "The figure (the lower bound of a range); null when the source gives none.",
    "SalaryBenchmark.amountMax": "The upper bound of a range; null otherwise.",
    "SalaryBenchmark.currency": "ISO 4217.",
    "SalaryBenchmark.country": "ISO 3166-1 alpha-2; null for a worldwide figure.",
    "SalaryBenchmark.period": "What the amount is per: year, month or hour.",
    "SalaryBenchmark.experienceBand": "The band the figure is for; null when it covers every level.",
    "SalaryBenchmark.role": "The role the figure is for.",
    "SalaryBenchmark.source": "The publication the figure comes from.",
    "Outlook.region": "Where the outlook applies, e.g. \"United States\".",
    "Outlook.period": "The projection period, e.g. \"2024-2034\".",
    "Outlook.growthPercent": "Projected employment change over the period, in percent.",
    "Outlook.openingsPerYear": "Projected job openings a year over the period.",
    "Outlook.role": "The role the outlook is for.",
    "Outlook.source": "The publication the outlook comes from.",
}
