"""Descriptions of the summaries (salary summaries, pay comparisons, demand, recompute runs and
notices), by schema coordinate (`Type`, `Type.field`, `Type.field(argument:)`, `Enum.VALUE`).

Every description in the schema lives in a `docs.py` like this one (the code carries none):
`schema.describe` puts them on the built schema and refuses an entry that names nothing or
that the code already describes, and `tests/schema/test_schema_changes.py` fails when a type,
field, argument or enum value has no description."""

DESCRIPTIONS: dict[str, str] = {
    # Conversion
    "Conversion": ("How a normalised summary pooled currencies: each observation converted at the mean of "
                   "the ECB's daily reference rates in the year it was observed."),
    "Conversion.currency": "The currency every amount was converted to.",
    "Conversion.rateSource": "Where the rates come from (the ECB's euro reference rates).",
    "Conversion.rateBasis": "The conversion rule, in words.",
    "Conversion.years": "The years whose rates were used.",
    "Conversion.convertedCount": "Observations converted and counted.",
    "Conversion.unconvertibleCount": "Observations left out: their currency has no rate.",
    "Conversion.unconvertibleCurrencies": ("ISO 4217 codes of observations left out because no rate exists "
                                           "for their year."),
    "Conversion.unconvertibleReasons": "\"CUR: why\", one per currency.",
    "Conversion.unknownYearCount": ("Converted observations that state no year of their own (the levels.fyi export "
                                    "has none); they are converted at `unknownYearRates`' rates."),
    "Conversion.unknownYearRates": "The year(s) whose rates converted the observations of no stated year (the latest).",
    # Demand
    "Demand": "Demand for a role or a skill, precomputed by the worker.",
    "Demand.computedAt": "When the worker computed the figures (UTC); null while PENDING.",
    "Demand.stale": "For a role: observations were stored after it was computed.",
    "Demand.status": "READY, or PENDING before the first recompute.",
    "Demand.source": "Where this answer was read from.",
    "Demand.sampleSize": "Observations behind the figures (role: all; skill: the pay premium's).",
    "Demand.outlooks": "Published outlooks for the role (roles only).",
    "Demand.observationsByYear": "Observation volume by year (roles only).",
    "Demand.hotSkillCount": "Count of the role's skills O*NET marks hot (roles only).",
    "Demand.inDemandSkillCount": "Count of the role's skills O*NET marks in demand (roles only).",
    "Demand.topSkills": "The role's skills in demand order, at most 10 (roles only).",
    "Demand.coreRoles": "Roles needing the skill as core (skills only).",
    "Demand.recommendedRoles": "Roles needing the skill as recommended (skills only).",
    "Demand.rolesNeeding": "Roles listing the skill as core or recommended (skills only).",
    "Demand.pay": "The skill's pay premium (skills only).",
    # DemandOutlook
    "DemandOutlook": "A published outlook: projected growth and openings, with its source.",
    "DemandOutlook.region": "Where the outlook applies, e.g. \"United States\".",
    "DemandOutlook.period": "The projection period, e.g. \"2024-2034\".",
    "DemandOutlook.growthPercent": "Projected employment change over the period, in percent.",
    "DemandOutlook.openingsPerYear": "Projected job openings a year over the period.",
    "DemandOutlook.subjectLabel": "What the publisher measured, e.g. \"web developers\".",
    "DemandOutlook.source": "The publisher of the outlook.",
    # DemandSkill
    "DemandSkill": "A skill ranked by demand: in-demand, hot, importance, then breadth.",
    "DemandSkill.importance": "The skill's importance for the role: core, recommended or optional.",
    "DemandSkill.hot": "Marked hot (rising fast) in the sources.",
    "DemandSkill.inDemand": "Marked in demand by employers in the sources.",
    "DemandSkill.rolesNeeding": "Roles listing it as core or recommended.",
    "DemandSkill.skill": "The skill; null if it has since been removed.",
    # OfficialMedian
    "OfficialMedian": "One occupation's official figures beside the crowd's median.",
    "OfficialMedian.occupation": "SOC code, e.g. 15-1252.",
    "OfficialMedian.annualMedian": ("BLS OEWS annual median wage, USD; null when BLS gives it only as a "
                                    "bound (`atLeast`) or did not release it."),
    "OfficialMedian.atLeast": ("BLS's lower bound when the median is above what it publishes (footnote 5: "
                               "at least $239,200 a year)."),
    "OfficialMedian.employment": "Jobs in the occupation and area.",
    "OfficialMedian.wageRse": "Relative standard error of the mean wage, percent.",
    "OfficialMedian.ratio": "Crowd median / official median.",
    "OfficialMedian.diverges": ("The medians differ by more than their sampling errors explain (see "
                                "`basis`); null without both medians."),
    "OfficialMedian.source": "The official figures' source.",
    # PayComparison
    "PayComparison": ("Crowd pay (normalised to USD at each observation's year) beside official wages (BLS "
                      "OEWS, all industries, newest release) for a role in one area."),
    "PayComparison.role": "Slug of the role compared.",
    "PayComparison.area": "OEWS area code (0000000 is the nation; SS00000 a state; 00NNNNN a metro area).",
    "PayComparison.regionCode": "The crowd's ISO 3166-2 region, for a state.",
    "PayComparison.crowdMedian": "USD; null when the crowd's group is withheld.",
    "PayComparison.crowdCount": "Crowd observations behind the median.",
    "PayComparison.crowdWithheld": "The crowd's group is too small (or would expose one) to publish its median.",
    "PayComparison.note": "Why crowd and official figures differ, in words.",
    "PayComparison.basis": "How `diverges` is decided.",
    "PayComparison.computedAt": "When the worker computed the comparison (UTC).",
    "PayComparison.official": "The role's occupations' official figures, largest employment first.",
    "PayComparison.source": "Where this answer was read from.",
    # PayPremium
    "PayPremium": ("Median pay of observations for roles that need a skill, against the median of all "
                   "observations, in one currency, with both sample sizes."),
    "PayPremium.currency": ("ISO 4217 of the medians (USD, observations of other currencies converted at "
                            "their year's ECB rate)."),
    "PayPremium.medianWithSkill": "Median pay of observations for roles that need the skill.",
    "PayPremium.sampleWithSkill": "Observations behind `medianWithSkill`.",
    "PayPremium.overallMedian": "Median pay of all observations.",
    "PayPremium.overallSample": "Observations behind `overallMedian`.",
    "PayPremium.premiumPercent": "(median with skill / overall median - 1) x 100; null below the minimum sample.",
    "PayPremium.sufficient": "Both samples reach the minimum size, so `premiumPercent` is given.",
    # RecomputePayload
    "RecomputePayload": "The result of `requestRecompute`.",
    "RecomputePayload.queued": "Scopes newly queued (already-queued ones are not).",
    "RecomputePayload.userErrors": "What was wrong with the input; empty on success.",
    # RecomputeRun
    "RecomputeRun": "One recompute of summaries by the worker (or `careergraph recompute`).",
    "RecomputeRun.scope": "A role slug, or \"all\".",
    "RecomputeRun.trigger": "worker (a queued job), cron, or cli.",
    "RecomputeRun.startedAt": "When the run began (UTC).",
    "RecomputeRun.finishedAt": "When it ended; null while it runs.",
    "RecomputeRun.durationSeconds": "Wall time of the run; null while it runs.",
    "RecomputeRun.documentsRead": "Observations aggregated.",
    "RecomputeRun.summariesWritten": "Summary rows the run published.",
    "RecomputeRun.version": "The summary version the run published; null if it failed.",
    "RecomputeRun.outcome": "running, ok or failed.",
    "RecomputeRun.error": "Why the run failed, in words; null on success.",
    # Role
    "Role.salarySummary": ("One salary summary: the CELL for a country and band, the COUNTRY or BAND "
                           "roll-up when only one is given, the ROLE roll-up when neither is. Without a "
                           "currency, the one with most observations. Null when the role has no "
                           "observations there; PENDING before the first recompute. `normalizeTo` pools "
                           "every currency into that one."),
    "Role.salarySummary(country:)": "ISO 3166-1 alpha-2; omit for every country.",
    "Role.salarySummary(experienceBand:)": "Only this experience band; omit for every band.",
    "Role.salarySummary(currency:)": "ISO 4217 of a native row; not with `normalizeTo`.",
    "Role.salarySummary(normalizeTo:)": ("Pool every currency into this one (USD or EUR by default), each "
                                         "observation at its year's rate."),
    "Role.payComparison": ("Crowd pay beside official wages (BLS OEWS) in `area`: US, a state (TX or US-TX), "
                           "a state's or a metro area's OEWS code. Served from the summary cache; a role with no crowd "
                           "observation summarised gets the official side alone (`crowdCount` 0, the `note` "
                           "says so); null when OEWS has no figures for its occupations there. A metro area "
                           "is compared where the role has a METRO row for it (crowd rows placed by city)."),
    "Role.payComparison(area:)": ("US (the default), a state (TX or US-TX), a state's OEWS code (4800000) or "
                                  "a metro area's (0012420)."),
    "Role.demand": "Demand figures for the role, precomputed by the worker.",
    # SalarySummary
    "SalarySummary": ("Pay statistics for one group of observations (see `level`). At CELL, COUNTRY and "
                      "BAND level a null country or band means the observations did not say."),
    "SalarySummary.role": "Slug of the role the observations are for.",
    "SalarySummary.country": ("ISO 3166-1 alpha-2 country of the group; null at ROLE, BAND and YEAR level, "
                              "or where observations did not say."),
    "SalarySummary.currency": "The amounts' currency; for a normalised row, the target.",
    "SalarySummary.regionCode": "ISO 3166-2 subdivision (REGION level).",
    "SalarySummary.year": "The year observed (YEAR and COUNTRY_YEAR levels; null: not said).",
    "SalarySummary.metroCode": "OEWS metro area code (METRO level), e.g. 0012420 for Austin-Round Rock-San Marcos, TX.",
    "SalarySummary.count": ("Observations the figures reflect: those of the last release (submissions join in "
                            "releases; see `heldBack`)."),
    "SalarySummary.sampleSize": "Same as count: the number of observations behind every figure.",
    "SalarySummary.mean": ("Mean annual pay, to the nearest whole unit; submitted amounts count as their point "
                           "of the pay grid (docs/privacy.md). Null when the group is `withheld`."),
    "SalarySummary.min": "Always null (see `omittedFigures`).",
    "SalarySummary.max": "Always null (see `omittedFigures`).",
    "SalarySummary.p10": ("10th percentile (linear interpolation, numpy's default); null when `withheld`, or "
                          "for groups under CAREERGRAPH_TAIL_MIN observations (see `omittedFigures`)."),
    "SalarySummary.p25": "25th percentile of annual pay; null when `withheld`.",
    "SalarySummary.median": "Median annual pay; null when `withheld`.",
    "SalarySummary.p75": "75th percentile of annual pay; null when `withheld`.",
    "SalarySummary.p90": "90th percentile of annual pay; null when `withheld` or as `p10` is.",
    "SalarySummary.stddev": "Population standard deviation; null when `withheld`.",
    "SalarySummary.sufficient": "Enough observations (a setting, default 5) to publish figures.",
    "SalarySummary.withheld": "Only the count is shown: the group is not `sufficient`.",
    "SalarySummary.withheldReason": "Why the group is withheld, in words.",
    "SalarySummary.heldBack": ("Newer submissions of the group wait for a release: its figures and count are "
                               "those of the last one, and change only once enough submissions of every cell they "
                               "join have come (CAREERGRAPH_RELEASE_CHANGES), so no two versions give one back."),
    "SalarySummary.omittedFigures": "The figures a shown group leaves out, and why.",
    # OmittedFigure
    "OmittedFigure": "A figure a published group does not show.",
    "OmittedFigure.figure": "min, max, p10 or p90.",
    "OmittedFigure.reason": "Why, in words.",
    "SalarySummary.computedAt": "When the worker computed the row (UTC).",
    "SalarySummary.version": "The summary version this came from.",
    "SalarySummary.stale": "Observations of the role were stored after it was computed; a recompute is on its way.",
    "SalarySummary.level": "What the row groups (see SummaryLevel).",
    "SalarySummary.experienceBand": "Experience band of the group; null where the level does not split by band.",
    "SalarySummary.conversion": "Set on normalised rows (`normalizeTo`): how currencies were pooled.",
    "SalarySummary.adjustment": ("Set on rows read with `adjust`: how the figures were adjusted, or why they were "
                                 "not (then they are null and only the count is shown)."),
    "SalarySummary.status": "READY, or PENDING before the first recompute of the role.",
    "SalarySummary.source": "Where this answer was read from.",
    # Skill
    "Skill.demand": "Demand for the skill, precomputed by the worker.",
    # SummariesUpdate
    "SummariesUpdate": "A new summary version went live. Read the summaries again to get it.",
    "SummariesUpdate.version": "The newly published summary version.",
    "SummariesUpdate.scope": "The recompute's scope: a role slug, or \"all\".",
    "SummariesUpdate.roles": "Roles whose salary summaries changed.",
    "SummariesUpdate.computedAt": "When the version was computed (UTC).",
    # SummaryAdjustment
    "SummaryAdjustment": ("How a summary row's figures were adjusted: every figure multiplied by `factor`, with "
                          "the index or conversion factor it comes from."),
    "SummaryAdjustment.kind": "REAL or PPP.",
    "SummaryAdjustment.applied": "The figures are adjusted; false when the row cannot be (see `reason`).",
    "SummaryAdjustment.reason": "Why the row is not adjusted (an unknown year, a country without a factor).",
    "SummaryAdjustment.factor": "What every figure was multiplied by.",
    "SummaryAdjustment.unit": "What the figures are in: \"USD of 2025\" or \"international $\".",
    "SummaryAdjustment.baseYear": "REAL: the year whose dollars the figures are in.",
    "SummaryAdjustment.series": "REAL: the CPI-U series (CUUR0000SA0, U.S. city average).",
    "SummaryAdjustment.seriesTitle": "REAL: the series' title.",
    "SummaryAdjustment.indexYear": "REAL: CPI-U of the row's year.",
    "SummaryAdjustment.indexBase": "REAL: CPI-U of the base year.",
    "SummaryAdjustment.monthsYear": "REAL: months averaged for the row's year when BLS has no annual average yet.",
    "SummaryAdjustment.monthsBase": "REAL: months averaged for the base year when BLS has no annual average yet.",
    "SummaryAdjustment.country": "PPP: the country whose factor was used.",
    "SummaryAdjustment.localCurrency": "PPP: the currency of that factor.",
    "SummaryAdjustment.pppFactor": "PPP: local currency units per international dollar (World Bank, PA.NUS.PPP).",
    "SummaryAdjustment.pppYear": "PPP: the factor's year (the nearest year with one, when the row's has none).",
    "SummaryAdjustment.exchangeFactor": ("PPP: the exchange step from the row's currency to the local one (the "
                                         "year's ECB means); null when they are the same."),
    "SummaryAdjustment.exchangeYear": "PPP: the year whose rates made the exchange step.",
    "SummaryAdjustment.rule": "The adjustment's rule, in words.",
    "SummaryAdjustment.source": "The index's or the factors' source.",
    # SummaryLevel
    "SummaryLevel": ("What a salary summary groups: CELL is role x country x experience band; COUNTRY, BAND "
                     "and ROLE are roll-ups over bands, over countries, and over both; REGION is role x "
                     "country x region (ISO 3166-2, where observations carry one); YEAR and COUNTRY_YEAR "
                     "are by the year observed; METRO is by OEWS metro area. Native rows keep currencies "
                     "apart; normalised rows (`normalizeTo`) pool them."),
    "SummaryLevel.CELL": "Role x country x experience band x currency.",
    "SummaryLevel.COUNTRY": "Role x country x currency, every band together.",
    "SummaryLevel.BAND": "Role x experience band x currency, every country together.",
    "SummaryLevel.ROLE": "Role x currency: everything observed for the role.",
    "SummaryLevel.REGION": ("Role x country x ISO 3166-2 region x currency (observations that name a "
                            "region; a row with a null region holds the rest of the country)."),
    "SummaryLevel.YEAR": "Role x year observed x currency.",
    "SummaryLevel.COUNTRY_YEAR": "Role x country x year observed x currency.",
    "SummaryLevel.METRO": ("Role x country x OEWS metro area x currency: observations whose city is a principal "
                           "city the area's title names (the others are in no METRO row)."),
    # SummarySource
    "SummarySource": ("Where a summary was read from: CACHE (Redis, the normal case), DATABASE (MongoDB's "
                      "copy, when Redis is down or cold), LIVE (computed for this request, admin only)."),
    "SummarySource.CACHE": "Redis, where the worker publishes every version.",
    "SummarySource.DATABASE": "MongoDB's copy, read when Redis was down or cold.",
    "SummarySource.LIVE": "Computed for this request (`live: true`, admin only).",
    # SummaryStatus
    "SummaryStatus": "PENDING: not computed yet; a recompute has been requested.",
    "SummaryStatus.READY": "Computed by the worker; the figures are current as of `computedAt`.",
    "SummaryStatus.PENDING": "Not computed yet; a recompute is queued.",
    # YearVolume
    "YearVolume": "Observations stored for a role in one year (null: year not reported).",
    "YearVolume.year": "The year observed; null for observations that did not say.",
    "YearVolume.count": "Observations of the role in that year.",
    # Query
    "Query.salarySummaries": ("Precomputed pay summaries: every group matching the arguments (omit one to "
                              "get all its values), served from the cache. Without `role`, every role, at "
                              "ROLE level unless `level` says otherwise; with a role, CELL, COUNTRY, BAND "
                              "and ROLE unless `level` names one. `normalizeTo` (USD or EUR by default) "
                              "gives the rows that pool every currency into it. `live: true` computes them "
                              "for this request instead (admin only)."),
    "Query.salarySummaries(role:)": "A role slug; omit for every role.",
    "Query.salarySummaries(country:)": "ISO 3166-1 alpha-2; omit for every country.",
    "Query.salarySummaries(experienceBand:)": "Only this experience band; omit for every band.",
    "Query.salarySummaries(currency:)": "ISO 4217 of native rows; not with `normalizeTo`.",
    "Query.salarySummaries(level:)": "Only rows of this level (see the field's description for the default).",
    "Query.salarySummaries(region:)": "ISO 3166-2, e.g. US-TX.",
    "Query.salarySummaries(year:)": "The year observed.",
    "Query.salarySummaries(metro:)": "An OEWS metro area code (7 digits, e.g. 0012420): its METRO rows.",
    "Query.salarySummaries(normalizeTo:)": "Pool every currency into this one, at each observation's year's rate.",
    "Query.salarySummaries(live:)": "Compute from the observations now instead of reading the cache (admin only).",
    "Query.salarySummaries(adjust:)": ("REAL: in constant U.S. dollars of the CPI-U's latest full year (rows of one "
                                       "year in USD: `level: YEAR` or `COUNTRY_YEAR` with `normalizeTo: \"USD\"`); "
                                       "PPP: in international dollars (rows of one country and year: `level: "
                                       "COUNTRY_YEAR`). Each figure of a row is multiplied by one factor, which is "
                                       "exact for a row of one year and country; rows that pool years are refused, "
                                       "since their percentiles would need each amount adjusted first."),
    "Query.payComparison": ("Crowd pay beside official wages for a role, as `Role.payComparison` gives it; "
                            "this root form is served from the response cache."),
    "Query.payComparison(role:)": "A role slug.",
    "Query.payComparison(area:)": ("US (the default), a state (TX or US-TX), a state's OEWS code (4800000) or a "
                                   "metro area's (0012420)."),
    "Query.recomputeRuns": "Recent recompute runs, newest first (admin).",
    "Query.recomputeRuns(first:)": "How many runs, 1 to 100.",
    # Mutation
    "Mutation.requestRecompute": "Recompute the summaries of one role, or all (admin).",
    "Mutation.requestRecompute(role:)": "A role slug; omit to recompute every role.",
    # Subscription
    "Subscription.summariesUpdated": ("Notices of new summary versions; with `role`, only those that change "
                                      "that role's summaries."),
    "Subscription.summariesUpdated(role:)": "Only notices that change this role's summaries; omit for all.",
}
