// Every GraphQL document the dashboard sends. The pay query asks only for summaries, the pay
// comparison and official wages, so the server answers it from its response cache.
export const SEARCH_QUERY = `query Search($text: String!) {
  search(text: $text, first: 8) { __typename ... on Role { slug title } }
}`;

export const ROLE_QUERY = `query Role($slug: String!) {
  role(slug: $slug) {
    slug title summary aliases onetCodes family
    sources { publisher title }
    skills { importance hot inDemand skill { slug name category } }
    learningPaths { slug title totalHours sources { publisher title }
      steps { position title estimatedHours skills { slug name } } }
    demand { computedAt stale sampleSize hotSkillCount inDemandSkillCount
      outlooks { region period growthPercent openingsPerYear subjectLabel source { publisher title } }
      topSkills { importance hot inDemand rolesNeeding skill { slug name } } }
  }
}`;

const FIGURES = `fragment Figures on SalarySummary {
  count sampleSize mean p10 p25 median p75 p90 withheld withheldReason
  computedAt stale version source status
  conversion { currency rateSource rateBasis years convertedCount unconvertibleCount unconvertibleCurrencies }
}`;

export const PAY_QUERY = `query Pay($role: String!, $to: String!, $places: SummaryLevel!) {
  bands: salarySummaries(role: $role, level: BAND, normalizeTo: $to) { ...Figures experienceBand }
  places: salarySummaries(role: $role, level: $places, normalizeTo: $to) { ...Figures country regionCode }
  crowdUS: salarySummaries(role: $role, level: COUNTRY, country: "US", normalizeTo: "USD") { ...Figures }
  payComparison(role: $role, area: "US") {
    crowdMedian crowdCount crowdWithheld note basis computedAt
    official { occupation annualMedian atLeast employment wageRse ratio diverges source }
  }
  officialWages(role: $role, areaType: NATIONAL, first: 5) {
    annualMean annualP10 annualP25 annualMedian annualP75 annualP90 employment wageRse release
    occupation { code title } atLeast { figure atLeast } source { publisher title retrieved }
  }
}
${FIGURES}`;

export const GAP_QUERY = `query Gap($role: String!, $have: [String!]!) {
  skillGap(role: $role, have: $have) { totalHours missing { skill { slug } } steps { position } }
}`;

export const UPDATES = `subscription Updates($role: String) {
  summariesUpdated(role: $role) { version scope roles computedAt }
}`;
