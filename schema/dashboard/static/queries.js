// Every GraphQL document the dashboard sends. The pay, year, moves and offer queries ask only for root
// fields the server answers from its response cache (summaries, the pay comparison, official wages,
// nextMoves, payPosition).
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
  count sampleSize mean p10 p25 median p75 p90 withheld withheldReason heldBack
  omittedFigures { figure reason }
  computedAt stale version source status
  conversion { currency rateSource rateBasis years convertedCount unconvertibleCount unconvertibleCurrencies
    unknownYearCount unknownYearRates }
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
  states: officialWages(role: $role, areaType: STATE, first: 100) {
    annualMedian annualMean annualP10 annualP25 annualP75 annualP90 employment locationQuotient release
    occupation { code } area { code name } atLeast { figure atLeast } source { publisher title retrieved }
  }
}
${FIGURES}`;

export const YEARS_QUERY = `query Years($role: String!, $adjust: Adjustment) {
  years: salarySummaries(role: $role, level: YEAR, normalizeTo: "USD", adjust: $adjust) {
    year count p10 p25 median p75 p90 mean withheld withheldReason heldBack omittedFigures { figure reason }
    status version computedAt source stale
    conversion { years unknownYearCount unknownYearRates rateSource }
    adjustment { applied reason unit baseYear series seriesTitle indexYear indexBase }
  }
}`;

export const MOVES_QUERY = `query Moves($role: String!, $area: String!) {
  nextMoves(role: $role, area: $area, first: 8) {
    role rule place { area kind label }
    moves { rank slug title score reach hours why occupation employment locationQuotient
      relatedness { tier onetIndex }
      known { slug } toLearn { slug name } learningPath { title }
      pay { basis current target change share release currentOccupation targetOccupation currentCount targetCount }
      officialSource { publisher } }
  }
}`;

export const OFFER_QUERY = `query Offer($role: String!, $amount: Float!, $currency: String!, $area: String!,
    $band: ExperienceBand, $adjust: Adjustment, $year: Int) {
  payPosition(role: $role, amount: $amount, currency: $currency, area: $area, experienceBand: $band,
              adjust: $adjust, year: $year) {
    words place { label }
    amount { amount currency year usd exchangeFactor exchangeYear compared
      real { amount nominal baseYear series seriesTitle indexYear indexBase source { publisher } } }
    crowd { count withheld bandApplied version percentiles { label value } position { words } }
    official { occupation release percentiles { label value } aboveMedian source { publisher } }
  }
}`;

export const GAP_QUERY = `query Gap($role: String!, $have: [String!]!) {
  skillGap(role: $role, have: $have) { totalHours missing { skill { slug } } steps { position } }
}`;

export const UPDATES = `subscription Updates($role: String) {
  summariesUpdated(role: $role) { version scope roles computedAt }
}`;
