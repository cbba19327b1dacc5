"""Salary observations in GraphQL: the type, the `salaryObservations` query, `submitSalary`."""
