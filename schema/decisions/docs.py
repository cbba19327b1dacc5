"""Descriptions of the career decisions (next moves, pay positions), by schema coordinate (`Type`,
`Type.field`, `Type.field(argument:)`, `Enum.VALUE`).

Every description in the schema lives in a `docs.py` like this one (the code carries none):
`schema.describe` puts them on the built schema and refuses an entry that names nothing or
that the code already describes, and `tests/schema/test_schema_changes.py` fails when a type,
field, argument or enum value has no description."""

RULE = ("Ranked by score = 0.5 x reach + 0.3 x pay change (a share of the current role's pay at the place, clamped "
        "to -1..1, 0 when unknown) + 0.2 x relatedness (O*NET Primary-Short 1, Primary-Long 0.7, Supplemental "
        "0.4; the catalogue's career step 1, specialisation 0.8, neighbour 0.7, broader role 0.6, contrast 0.3, "
        "earlier step 0.2; shared skills only 0), then more employment, then the slug")
AREA = ("Where: US (the default), a state (TX or US-TX), or an OEWS area code (a state's 4800000, a metro area's "
        "0012420; find codes with `areas`).")
NEXT_MOVES_ARGS = {
    "area": AREA,
    "knownSkills": ("Skills the person has beyond the role's own core and recommended ones: names, aliases or slugs "
                    "(at most 200); names that match no skill are listed in `unknownSkills`."),
    "first": "How many moves, 1 to 50 (default 10).",
}

DESCRIPTIONS: dict[str, str] = {
    # Adjustment
    "Adjustment": "What an amount is adjusted for beyond its currency.",
    "Adjustment.REAL": ("Prices: constant U.S. dollars of a base year (the BLS CPI-U's latest full year), "
                        "`amount x CPI(base) / CPI(year)`; the index, series and base year are stated."),
    "Adjustment.PPP": ("Purchasing power: international dollars, `amount in local currency / the World Bank's PPP "
                       "conversion factor` of the country and year (loaded by `careergraph import ppp`)."),
    # DecisionPlace
    "DecisionPlace": "The place a decision is about: the nation, a state or a metro area (an OEWS area).",
    "DecisionPlace.area": "OEWS area code (0000000 the nation, SS00000 a state, a metro area's code).",
    "DecisionPlace.kind": "NATIONAL, STATE or METRO.",
    "DecisionPlace.regionCode": "ISO 3166-2 code of a state (the crowd's region); null otherwise.",
    "DecisionPlace.label": "The place in short: US, US-TX or the area code.",
    # NextMoves
    "NextMoves": "The roles a role can move to from a place, ranked by what the move costs and what it pays.",
    "NextMoves.role": "Slug of the role moved from.",
    "NextMoves.place": "Where pay, employment and location quotients are read.",
    "NextMoves.moves": "The moves, best first (see `rule`).",
    "NextMoves.unknownSkills": "Names given in `knownSkills` that match no skill.",
    "NextMoves.rule": "The ranking rule, in words.",
    # NextMove
    "NextMove": ("One move: how far the person is from the target role (skills and hours), what it pays there, "
                 "how many hold it, how related O*NET or the catalogue says it is, and why it ranks where it does."),
    "NextMove.rank": "1 for the best move.",
    "NextMove.slug": "Slug of the target role.",
    "NextMove.title": "Title of the target role.",
    "NextMove.role": "The target role.",
    "NextMove.score": "The ranking score (see `NextMoves.rule`); `why` shows its arithmetic.",
    "NextMove.reach": ("Share (0 to 1) of the target's core and recommended skills the person has (the current "
                       "role's own, and `knownSkills`)."),
    "NextMove.relatedness": "How related the target is, and according to whom.",
    "NextMove.known": "The target's needed skills the person has.",
    "NextMove.toLearn": "The target's needed skills still to learn, most important first.",
    "NextMove.hours": ("Hours of the target's learning path steps that teach `toLearn` (as `skillGap` counts them); "
                       "null when the target has no learning path."),
    "NextMove.learningPath": "The target's learning path the hours come from; null when it has none.",
    "NextMove.pay": "Pay change at the place, like with like (see `PayChange.basis`); null when unknown.",
    "NextMove.occupation": "SOC code of the target's main OEWS occupation at the place (most employment).",
    "NextMove.employment": "Jobs in that occupation at the place (BLS OEWS).",
    "NextMove.locationQuotient": ("That occupation's location quotient at the place (BLS OEWS; 1 is the national "
                                  "share)."),
    "NextMove.officialSource": "Source of the employment and location quotient (the OEWS release).",
    "NextMove.why": ("Why the move ranks where it does: reach, hours, pay change, relatedness and the score's "
                     "arithmetic."),
    # Relatedness
    "Relatedness": "How related two roles are: O*NET's tier and index, the catalogue's own tier, or shared skills.",
    "Relatedness.tier": ("Primary-Short, Primary-Long or Supplemental (O*NET); career step, specialisation, "
                         "neighbour, broader role, contrast or earlier step (the catalogue); or shared skills."),
    "Relatedness.weight": "The tier's weight in the score (0 to 1).",
    "Relatedness.onetIndex": "O*NET's relatedness index (1 is the most related); null outside O*NET's lists.",
    "Relatedness.via": "The O*NET code the relation came through, when it came through one.",
    # PayBasis
    "PayBasis": "Which medians a pay change compares.",
    "PayBasis.CROWD": "Published crowd medians of both roles at the place (normalised to USD).",
    "PayBasis.OFFICIAL": "BLS OEWS annual medians of both roles' main occupations at the place.",
    # PayChange
    "PayChange": "What moving pays at a place: both roles' medians of one kind, and the difference.",
    "PayChange.basis": "CROWD when both roles have a published crowd median there, else OFFICIAL.",
    "PayChange.currency": "USD.",
    "PayChange.current": "The current role's median.",
    "PayChange.target": "The target role's median.",
    "PayChange.change": "target - current, a year.",
    "PayChange.share": "change / current.",
    "PayChange.detail": "Whose medians, in words.",
    "PayChange.currentCount": "CROWD: people behind the current role's median.",
    "PayChange.targetCount": "CROWD: people behind the target role's median.",
    "PayChange.currentOccupation": "OFFICIAL: SOC code of the current role's median.",
    "PayChange.targetOccupation": "OFFICIAL: SOC code of the target role's median.",
    "PayChange.release": "OFFICIAL: the OEWS release of both medians.",
    "PayChange.versions": "CROWD: the summary versions the medians were read from.",
    # PayPosition
    "PayPosition": ("Where an amount of pay stands among a role's published crowd percentiles and its official "
                    "(OEWS) ones at a place: normalised to USD at its year's rate first and, if asked, to real "
                    "dollars."),
    "PayPosition.role": "Slug of the role.",
    "PayPosition.place": "Where the figures are read.",
    "PayPosition.experienceBand": "The band asked for; null for every band.",
    "PayPosition.amount": "The amount, normalised: what was placed is `compared`.",
    "PayPosition.crowd": ("The role's published crowd group at the place (a withheld group gives its count and no "
                          "position); null when none is published."),
    "PayPosition.official": "The OEWS percentiles of the role's main occupation at the place; null without any.",
    "PayPosition.words": "The position in words, e.g. \"between p50 and p75 of 1,974 people; above the OEWS median\".",
    # NormalisedAmount
    "NormalisedAmount": "An amount converted to U.S. dollars at its year's rate, and optionally to real dollars.",
    "NormalisedAmount.amount": "The amount given.",
    "NormalisedAmount.currency": "Its currency (ISO 4217).",
    "NormalisedAmount.year": "The year it is pay for.",
    "NormalisedAmount.usd": "In U.S. dollars of that year.",
    "NormalisedAmount.exchangeFactor": "USD per unit of `currency`: the ECB's yearly means.",
    "NormalisedAmount.exchangeYear": "The year whose rates converted it (the nearest with rates).",
    "NormalisedAmount.rateSource": "Where the rates come from.",
    "NormalisedAmount.real": "With `adjust: REAL`: the amount in constant dollars, and how.",
    "NormalisedAmount.compared": "What was placed among the figures: `real.amount`, else `usd`.",
    # RealAmount
    "RealAmount": "An amount in constant U.S. dollars of a base year, with everything it was adjusted with.",
    "RealAmount.amount": "In dollars of `baseYear`.",
    "RealAmount.nominal": "The U.S. dollar amount of `year`.",
    "RealAmount.year": "The year the amount is pay for.",
    "RealAmount.baseYear": "The year whose dollars `amount` is in.",
    "RealAmount.series": "The CPI-U series, e.g. CUUR0000SA0 (U.S. city average).",
    "RealAmount.seriesTitle": "The series' title.",
    "RealAmount.indexYear": "CPI-U of `year`.",
    "RealAmount.indexBase": "CPI-U of `baseYear`.",
    "RealAmount.monthsYear": "Months averaged for `year` when BLS has no annual average yet; null otherwise.",
    "RealAmount.monthsBase": "Months averaged for `baseYear` when BLS has no annual average yet; null otherwise.",
    "RealAmount.rule": "The adjustment's rule, in words.",
    "RealAmount.source": "The index's publisher (BLS, CPI-U).",
    # CrowdStanding
    "CrowdStanding": "A role's published crowd group and where an amount stands in it.",
    "CrowdStanding.level": "The summary level of the group (CELL, COUNTRY or REGION).",
    "CrowdStanding.count": "People in the group.",
    "CrowdStanding.withheld": "The group is withheld: only its count is published, so no position is given.",
    "CrowdStanding.percentiles": "The published percentiles (p10, p25, p50, p75, p90), USD; empty when withheld.",
    "CrowdStanding.median": "The published median, USD; null when withheld.",
    "CrowdStanding.experienceBand": "The group's band; null when it spans every band.",
    "CrowdStanding.bandApplied": "The band asked for is the group's (by state no band is published).",
    "CrowdStanding.regionCode": "ISO 3166-2 of a state's group.",
    "CrowdStanding.pooled": ("Every currency pooled into USD; false when no rates are loaded and only amounts paid "
                             "in USD are counted."),
    "CrowdStanding.computedAt": "When the worker computed the group (UTC).",
    "CrowdStanding.version": "The summary version the group was read from.",
    "CrowdStanding.position": "Where the amount stands; null when the group is withheld.",
    # OfficialStanding
    "OfficialStanding": "The OEWS figures of a role's main occupation at a place, and where an amount stands in them.",
    "OfficialStanding.occupation": "SOC code (the role's occupation with the most employment there).",
    "OfficialStanding.area": "OEWS area code.",
    "OfficialStanding.release": "The OEWS release, e.g. May 2025.",
    "OfficialStanding.employment": "Jobs in the occupation and area.",
    "OfficialStanding.median": "Annual median wage, USD; null when BLS gives it only as a bound.",
    "OfficialStanding.percentiles": "Annual percentiles BLS released (p10 ... p90), USD.",
    "OfficialStanding.atLeast": "Percentiles BLS gives only as a lower bound (footnote 5).",
    "OfficialStanding.aboveMedian": "The amount is above the median; null at it or without one.",
    "OfficialStanding.position": "Where the amount stands among `percentiles`.",
    "OfficialStanding.source": "The OEWS release's source.",
    # Percentile
    "Percentile": "One percentile of a distribution.",
    "Percentile.label": "p10, p25, p50, p75 or p90.",
    "Percentile.value": "USD a year.",
    # Standing
    "Standing": "Where an amount stands among percentiles.",
    "Standing.at": "The percentiles equal to the amount.",
    "Standing.above": "The highest percentile below the amount.",
    "Standing.below": "The lowest percentile above the amount.",
    "Standing.words": "In words: at p50, between p50 and p75, above p90.",
    # Role
    "Role.nextMoves": (f"The roles this one can move to at a place, ranked. {RULE}. The root form "
                       "`nextMoves(role:)` is answered from the response cache."),
    **{f"Role.nextMoves({name}:)": text for name, text in NEXT_MOVES_ARGS.items()},
    # Query
    "Query.nextMoves": (f"The roles a role can move to at a place, ranked. {RULE}. Served from the response cache "
                        "(as `Role.nextMoves` gives it)."),
    "Query.nextMoves(role:)": "Slug of the role moved from.",
    **{f"Query.nextMoves({name}:)": text for name, text in NEXT_MOVES_ARGS.items()},
    "Query.payPosition": ("Where an amount of pay stands among a role's published crowd percentiles and its official "
                          "ones at a place, after converting it to USD at its year's rate (and, with `adjust: REAL`, "
                          "to constant dollars). It shows nothing the published summaries withhold."),
    "Query.payPosition(role:)": "Slug of the role.",
    "Query.payPosition(amount:)": "A year's pay, in `currency`.",
    "Query.payPosition(currency:)": "ISO 4217 code of the amount.",
    "Query.payPosition(area:)": AREA,
    "Query.payPosition(experienceBand:)": ("Compare with this band's crowd group (nationally; a state's group spans "
                                           "every band). Omit for every band."),
    "Query.payPosition(adjust:)": ("REAL: put the amount in dollars of the CPI-U's latest full year (the OEWS "
                                   "release's) before placing it. PPP does not apply (the figures are U.S. pay)."),
    "Query.payPosition(year:)": "The year the amount is pay for (its exchange rate and prices); default this year.",
}
