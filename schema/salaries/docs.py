"""Descriptions of the salary observations (the type, its filter and page, `submitSalary`), by schema
coordinate (`Type`, `Type.field`, `Type.field(argument:)`, `Enum.VALUE`).

Every description in the schema lives in a `docs.py` like this one (the code carries none):
`schema.describe` puts them on the built schema and refuses an entry that names nothing or
that the code already describes, and `tests/schema/test_schema_changes.py` fails when a type,
field, argument or enum value has no description."""

from schema.docs import page_arguments

VIEWS = ("Reader keys see the rows of files their source already publishes row by row (levels.fyi, "
         "ai-jobs.net, Stack Overflow's survey), every field; rows people submitted are for admin keys only "
         "(and their own submitter, through `mySubmission`). See docs/privacy.md.")

DESCRIPTIONS: dict[str, str] = {
    # Role
    "Role.salaryObservations": ("Salary observations for this role, by amount, as the key may see them. "
                                + VIEWS),
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
    "SubmitSalaryInput.company": "Employer, up to 120 characters (shown to admins only, never to readers).",
    "SubmitSalaryInput.title": "Job title as the person would write it, up to 120 characters.",
    "SubmitSalaryInput.baseAmount": "Annual base pay in `currency`, at most `amount`.",
    "SubmitSalaryInput.year": "The year the pay applies to, from 1990 to this year; this year when omitted.",
    # SubmitSalaryPayload
    "SubmitSalaryPayload": "The result of `submitSalary`.",
    "SubmitSalaryPayload.observation": ("The observation as stored (or as first stored, for a repeated "
                                        "idempotency key); null when `userErrors` is not empty."),
    "SubmitSalaryPayload.created": "False when this idempotency key was already stored.",
    "SubmitSalaryPayload.receipt": ("Shown once, when the submission is stored (null on a repeat): keep it to "
                                    "read or withdraw the submission (`mySubmission`, `withdrawSubmission`). "
                                    "careergraph keeps only its SHA-256 and cannot show it again."),
    "SubmitSalaryPayload.userErrors": "What was wrong with the input; empty on success.",
    # WithdrawSubmissionPayload
    "WithdrawSubmissionPayload": "The result of `withdrawSubmission`.",
    "WithdrawSubmissionPayload.submission": "The submission, now WITHDRAWN; null when the receipt names none.",
    "WithdrawSubmissionPayload.userErrors": "NOT_FOUND when no submission has the receipt.",
    # OwnSubmission
    "OwnSubmission": "A submission, as its submitter sees it through its receipt.",
    "OwnSubmission.observation": "Every field as submitted.",
    "OwnSubmission.status": "Where it stands with the published summaries.",
    # SubmissionStatus
    "SubmissionStatus": ("Where a submission stands. Published summaries change only in releases that "
                         "take at least CAREERGRAPH_RELEASE_CHANGES submissions of a group together, so that "
                         "no two versions give one back."),
    "SubmissionStatus.PENDING": "Stored, waiting for a release to join the published summaries.",
    "SubmissionStatus.RELEASED": "In the published summaries.",
    "SubmissionStatus.WITHDRAWN": ("Withdrawn: it leaves the summaries (and the store) at the next release "
                                   "that can take it out without giving it away."),
    # Query
    "Query.salaryObservations": ("Salary observations, filtered, ordered by amount, as the key may see them "
                                 "(a key is needed). " + VIEWS),
    "Query.salaryObservations(filter:)": "Conditions the observations must meet.",
    **page_arguments("Query.salaryObservations", "observation"),
    # Mutation
    "Query.mySubmission": ("Your own submission, by the receipt `submitSalary` gave you; null for any other "
                           "string. No API key is needed: the receipt is the key."),
    "Query.mySubmission(receipt:)": "The receipt, `cgr_` and 43 characters.",
    "Mutation.submitSalary": ("Report one salary (any API key). It joins the published summaries at a release "
                              "(see `SubmissionStatus`); keep the `receipt`."),
    "Mutation.submitSalary(input:)": "The pay to record.",
    "Mutation.withdrawSubmission": ("Withdraw your submission, by its receipt: it leaves the summaries at the "
                                    "next release that can take it out, and is then deleted."),
    "Mutation.withdrawSubmission(receipt:)": "The receipt `submitSalary` gave you.",
}
