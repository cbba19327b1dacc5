"""Descriptions of the salary observations' plain fields and arguments, by schema coordinate
(applied by `schema.describe`; see `schema/catalog/docs.py`)."""

from schema.docs import page_arguments

DESCRIPTIONS: dict[str, str] = {
    "SalaryObservation.company": "Employer as reported; null when the source has none.",
    "SalaryObservation.city": "City as reported; null when the source has none.",
    "SalaryObservation.region": "State, province or region as reported (see `regionCode` for its ISO code).",
    "SalaryObservation.yearsExperience": "Years of professional experience, 0 to 60; null when the source gives "
                                         "only a level.",
    "SalaryObservation.experienceBand": "The band of `yearsExperience`, or of the source's level code.",
    "SalaryObservation.role": "The role the title was routed to; null if it has since been removed.",
    "SalaryObservation.source": "The file, survey or submission the observation came from.",
    "SalaryObservationConnection": "One page of salary observations (Relay connection).",
    "SalaryObservationConnection.edges": "The observations of this page, newest first, each with its cursor.",
    "SalaryObservationConnection.pageInfo": "Whether more pages exist and the cursors that fetch them.",
    "SalaryObservationEdge": "An observation and its position in the list.",
    "SalaryObservationEdge.cursor": "Pass as `after` (or `before`) to continue from this observation.",
    "SalaryObservationEdge.node": "The observation.",
    "SalaryObservationFilter": "Narrows `salaryObservations`; every given condition must hold.",
    "SalaryObservationFilter.role": "A role slug.",
    "SalaryObservationFilter.country": "ISO 3166-1 alpha-2.",
    "SalaryObservationFilter.experienceBand": "An experience band.",
    "SalaryObservationFilter.currency": "ISO 4217.",
    "SalaryObservationFilter.minAmount": "Only amounts at least this (in the observation's own currency).",
    "SalaryObservationFilter.maxAmount": "Only amounts at most this (in the observation's own currency).",
    "SalaryObservationFilter.year": "Only observations of this year.",
    "Query.salaryObservations(filter:)": "Conditions the observations must meet.",
    **page_arguments("Query.salaryObservations", "observation"),
    "Mutation.submitSalary(input:)": "The pay to record.",
    "SubmitSalaryInput": "One person's pay, as they report it.",
    "SubmitSalaryInput.experienceYears": "Years of professional experience, 0 to 60.",
    "SubmitSalaryInput.city": "City, up to 120 characters.",
    "SubmitSalaryInput.company": "Employer, up to 120 characters (shown to readers of observations).",
    "SubmitSalaryInput.title": "Job title as the person would write it, up to 120 characters.",
    "SubmitSalaryInput.baseAmount": "Annual base pay in `currency`, at most `amount`.",
    "SubmitSalaryInput.year": "The year the pay applies to, from 1990 to this year; this year when omitted.",
    "SubmitSalaryPayload": "The result of `submitSalary`.",
    "SubmitSalaryPayload.observation": "The observation as stored (or as first stored, for a repeated "
                                       "idempotency key); null when `userErrors` is not empty.",
    "SubmitSalaryPayload.userErrors": "What was wrong with the input; empty on success.",
}
