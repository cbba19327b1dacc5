"""Descriptions of the salary observations (the type, its filter and page, `submitSalary`), by schema
coordinate (`Type`, `Type.field`, `Type.field(argument:)`, `Enum.VALUE`).

Every description in the schema lives in a `docs.py` like this one (the code carries none):
`schema.describe` puts them on the built schema and refuses an entry that names nothing or
that the code already describes, and `tests/schema/test_schema_changes.py` fails when a type,
field, argument or enum value has no description."""

from schema.docs import page_arguments

DESCRIPTIONS: dict[str, str] = {
    # Role
    "Role.salaryObservations": "Salary observations for this role, by amount (any API key).",
    **page_arguments("Role.salaryObservations", "observation"),
    "Role.salaryObservations(country:)": "Only observations from this country (ISO 3166-1 alpha-2, e.g. DE).",
    "Role.salaryObservations(experienceBand:)": "Only observations in this experience band.",
    # SalaryObservation
    "SalaryObservation": "One person's reported annual pay.",
    "SalaryObservation.rawTitle": "The job title as reported.",
    "SalaryObservation.tag": "Specialisation tag as reported, e.g. \"API Development (Back-End)\".",
    "SalaryObservation.company": "Employer as reported; null when the source has none.",
    "SalaryObservation.city": "City as reported; null when the source has none.",
    "SalaryObservation.region": "State, province or region as reported (see `regionCode` for its ISO code).",
    "SalaryObservation.country": "ISO 3166-1 alpha-2",
    "SalaryObservation.currency": "ISO 4217",
    "SalaryObservation.amount": "Annual total compensation.",
    "SalaryObservation.baseAmount": "Annual base pay, where known.",
    "SalaryObservation.yearsExperience": ("Years of professional experience, 0 to 60; null when the source "
                                          "gives only a level."),
    "SalaryObservation.year": "Year observed, where the source says.",
    "SalaryObservation.regionCode": "ISO 3166-2 subdivision, where it can be told.",
    "SalaryObservation.experienceLevel": "The source's own experience level, e.g. \"SE\" (ai-jobs.net) or \"Senior\".",
    "SalaryObservation.employmentType": ("full-time, part-time, contract, freelance or internship; null: "
                                         "the source does not say. Summaries count full-time (and unstated) "
                                         "pay only."),
    "SalaryObservation.companySize": "As the source says it, e.g. \"M\" or \"100 to 499 employees\".",
    "SalaryObservation.remoteRatio": "Percent of the work done remotely, 0-100.",
    "SalaryObservation.publishedAmount": ("The source's own conversion of `amount`, kept beside it (never a "
                                          "second observation)."),
    "SalaryObservation.publishedCurrency": "ISO 4217 of `publishedAmount`.",
    "SalaryObservation.experienceBand": "The band of `yearsExperience`, or of the source's level code.",
    "SalaryObservation.role": "The role the title was routed to; null if it has since been removed.",
    "SalaryObservation.source": "The file, survey or submission the observation came from.",
    # SalaryObservationConnection
    "SalaryObservationConnection": "One page of salary observations (Relay connection).",
    "SalaryObservationConnection.edges": "The observations of this page, newest first, each with its cursor.",
    "SalaryObservationConnection.pageInfo": "Whether more pages exist and the cursors that fetch them.",
    "SalaryObservationConnection.totalCount": "Items matching the filter, on all pages.",
    "SalaryObservationConnection.nodes": "The nodes of `edges`, for clients that need no cursors.",
    # SalaryObservationEdge
    "SalaryObservationEdge": "An observation and its position in the list.",
    "SalaryObservationEdge.cursor": "Pass as `after` (or `before`) to continue from this observation.",
    "SalaryObservationEdge.node": "The observation.",
    # SalaryObservationFilter
    "SalaryObservationFilter": "Narrows `salaryObservations`; every given condition must hold.",
    "SalaryObservationFilter.role": "A role slug.",
    "SalaryObservationFilter.country": "ISO 3166-1 alpha-2.",
    "SalaryObservationFilter.experienceBand": "An experience band.",
    "SalaryObservationFilter.currency": "ISO 4217.",
    "SalaryObservationFilter.minAmount": "Only amounts at least this (in the observation's own currency).",
    "SalaryObservationFilter.maxAmount": "Only amounts at most this (in the observation's own currency).",
    "SalaryObservationFilter.year": "Only observations of this year.",
    "SalaryObservationFilter.employmentType": "full-time, part-time, contract, freelance or internship.",
    # SubmitSalaryInput
    "SubmitSalaryInput": "One person's pay, as they report it.",
    "SubmitSalaryInput.role": "Role slug, e.g. backend-developer.",
    "SubmitSalaryInput.amount": "Annual total compensation.",
    "SubmitSalaryInput.currency": "ISO 4217, e.g. USD.",
    "SubmitSalaryInput.country": "ISO 3166-1 alpha-2, e.g. US.",
    "SubmitSalaryInput.experienceYears": "Years of professional experience, 0 to 60.",
    "SubmitSalaryInput.idempotencyKey": "Your unique key for this submission; resending it never stores a second copy.",
    "SubmitSalaryInput.city": "City, up to 120 characters.",
    "SubmitSalaryInput.company": "Employer, up to 120 characters (shown to readers of observations).",
    "SubmitSalaryInput.title": "Job title as the person would write it, up to 120 characters.",
    "SubmitSalaryInput.baseAmount": "Annual base pay in `currency`, at most `amount`.",
    "SubmitSalaryInput.year": "The year the pay applies to, from 1990 to this year; this year when omitted.",
    # SubmitSalaryPayload
    "SubmitSalaryPayload": "The result of `submitSalary`.",
    "SubmitSalaryPayload.observation": ("The observation as stored (or as first stored, for a repeated "
                                        "idempotency key); null when `userErrors` is not empty."),
    "SubmitSalaryPayload.created": "False when this idempotency key was already stored.",
    "SubmitSalaryPayload.userErrors": "What was wrong with the input; empty on success.",
    # Query
    "Query.salaryObservations": ("Salary observations, filtered, ordered by amount (any API key: raw "
                                 "observations are people's pay, so they are not anonymous reads)."),
    "Query.salaryObservations(filter:)": "Conditions the observations must meet.",
    **page_arguments("Query.salaryObservations", "observation"),
    # Mutation
    "Mutation.submitSalary": "Report one salary (any API key).",
    "Mutation.submitSalary(input:)": "The pay to record.",
}
