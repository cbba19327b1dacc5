"""Descriptions of the catalogue (roles, skills, learning paths, search, the skill gap, the editors'
upserts), by schema coordinate (`Type`, `Type.field`, `Type.field(argument:)`, `Enum.VALUE`).

Every description in the schema lives in a `docs.py` like this one (the code carries none):
`schema.describe` puts them on the built schema and refuses an entry that names nothing or
that the code already describes, and `tests/schema/test_schema_changes.py` fails when a type,
field, argument or enum value has no description."""

from schema.docs import page_arguments

DESCRIPTIONS: dict[str, str] = {
    # Importance
    "Importance": "How much a role needs a skill.",
    "Importance.CORE": "Needed from the first day in the role.",
    "Importance.RECOMMENDED": "Expected of most people in the role; worth learning early.",
    "Importance.OPTIONAL": "Useful in some teams; learn when the work asks for it.",
    # LearningPath
    "LearningPath": "An ordered path of steps towards a role.",
    "LearningPath.slug": "Stable identifier, e.g. `backend-developer-path`.",
    "LearningPath.title": "Display name of the path.",
    "LearningPath.summary": "What the path covers and whom it is for.",
    "LearningPath.steps": "The steps in the order to take them.",
    "LearningPath.totalHours": "Sum of the steps' estimated hours.",
    "LearningPath.role": "The role the path leads into; null if it has since been removed.",
    "LearningPath.sources": "Where the path's steps come from.",
    # LearningPathPayload
    "LearningPathPayload": "The result of `upsertLearningPath`.",
    "LearningPathPayload.learningPath": "The path as stored; null when `userErrors` is not empty.",
    "LearningPathPayload.userErrors": "What was wrong with the input; empty on success.",
    # LearningStep
    "LearningStep": "One step of a learning path.",
    "LearningStep.position": "1-based position of the step in its path.",
    "LearningStep.title": "Short name of the step.",
    "LearningStep.description": "What to learn or do in this step.",
    "LearningStep.estimatedHours": "Editorial estimate of the hours the step takes.",
    "LearningStep.prerequisites": "Positions of the steps to do first.",
    "LearningStep.resources": "Courses, articles, documentation or tools for the step.",
    "LearningStep.skills": "Skills the step covers (the skill-gap calculator counts them).",
    # LearningStepInput
    "LearningStepInput": "One step of a learning path.",
    "LearningStepInput.title": "Short name of the step.",
    "LearningStepInput.description": "What to learn or do.",
    "LearningStepInput.skills": "Slugs of the skills the step covers (each must exist).",
    "LearningStepInput.resources": "Resources for the step.",
    "LearningStepInput.estimatedHours": "Effort in hours, 0 to 10,000; null when unknown.",
    "LearningStepInput.prerequisites": "1-based positions of earlier steps this one builds on.",
    # RelatedRole
    "RelatedRole": "A role related to another, with how (career step, contrast, O*NET tier...).",
    "RelatedRole.tier": ("How the roles relate: `career step`, `contrast`, or O*NET's related-occupation "
                         "tier (e.g. `Primary-Short`)."),
    "RelatedRole.role": "The related role; null if it has since been removed.",
    # Resource
    "Resource": "Learning material named for a step.",
    "Resource.title": "Name of the resource.",
    "Resource.kind": "One of course, certificate, article, documentation, tool.",
    "Resource.url": "Where to find it; null when the source names no address.",
    # ResourceInput
    "ResourceInput": "A resource of a learning step.",
    "ResourceInput.title": "Name of the resource.",
    "ResourceInput.kind": "One of course, certificate, article, documentation, tool.",
    "ResourceInput.url": "http(s) address, or null.",
    # Role
    "Role": "An occupation such as Backend Developer.",
    "Role.slug": "Stable identifier, lower-case words joined by hyphens, e.g. `backend-developer`.",
    "Role.title": "Display name, e.g. \"Backend Developer\" (O*NET's title for imported occupations).",
    "Role.family": ("Broad group the role belongs to, e.g. `software-engineering`, or the O*NET major group "
                    "of an imported occupation (`computer-and-mathematical`); `other` for roles an import "
                    "created."),
    "Role.summary": "One or two sentences on what the role is.",
    "Role.description": "Longer description of the role's work (O*NET's occupation description where imported).",
    "Role.aliases": "Other names for the role (job titles).",
    "Role.responsibilities": "What people in the role do, one task per entry, most central first.",
    "Role.tasks": "O*NET task statements (O*NET occupations only).",
    "Role.onetCodes": ("O*NET-SOC 2019 codes of the occupations the role maps to, e.g. `15-1252.00`; "
                       "official wages join through them."),
    "Role.jobZone": "O*NET job zone 1-5: how much preparation the role needs.",
    "Role.origin": "curated, onet, editor or import",
    "Role.skills": "Skills the role needs, most important first.",
    "Role.skills(importance:)": "Only skills of these importances; all when omitted.",
    "Role.skills(category:)": "Only skills of this category, e.g. `language`, `database`, `devops`.",
    "Role.relatedRoles": "Related roles: career steps, contrasts, O*NET relations.",
    "Role.learningPaths": "Curated learning paths that lead into this role.",
    "Role.sources": "Where the role's description, responsibilities and skill list come from.",
    # RoleConnection
    "RoleConnection": "One page of roles (Relay connection).",
    "RoleConnection.edges": "The roles of this page, in order, each with its cursor.",
    "RoleConnection.pageInfo": "Whether more pages exist and the cursors that fetch them.",
    "RoleConnection.totalCount": "Items matching the filter, on all pages.",
    "RoleConnection.nodes": "The nodes of `edges`, for clients that need no cursors.",
    # RoleEdge
    "RoleEdge": "A role and its position in the list.",
    "RoleEdge.cursor": "Pass as `after` (or `before`) to continue from this role.",
    "RoleEdge.node": "The role.",
    # RoleFilter
    "RoleFilter": "Narrows `roles`; every given condition must hold.",
    "RoleFilter.family": "Only roles of this family, e.g. `software-engineering`.",
    "RoleFilter.skill": "Skill slug the role lists.",
    "RoleFilter.search": "Matches titles and aliases.",
    "RoleFilter.hasSalaryData": ("true: only roles with salary observations or published figures; false: "
                                 "only roles with neither."),
    # RoleOrder
    "RoleOrder": "How to order roles.",
    "RoleOrder.TITLE": "Alphabetical by title, then slug.",
    "RoleOrder.SLUG": "Alphabetical by slug.",
    # RolePayload
    "RolePayload": "The result of `upsertRole`.",
    "RolePayload.role": "The role as stored; null when `userErrors` is not empty.",
    "RolePayload.userErrors": "What was wrong with the input; empty on success.",
    # RoleSkill
    "RoleSkill": "A skill a role needs, with its importance and demand flags.",
    "RoleSkill.skill": "The skill; null if it has since been removed.",
    "RoleSkill.importance": "How much the role needs the skill.",
    "RoleSkill.hot": "The skill is marked hot (rising fast) in the sources.",
    "RoleSkill.inDemand": "The skill is marked in demand by employers in the sources.",
    "RoleSkill.origin": "curated, onet or editor: who made the link",
    # RoleSkillInput
    "RoleSkillInput": "A skill a role needs.",
    "RoleSkillInput.skill": "Slug of an existing skill.",
    "RoleSkillInput.importance": "How much the role needs it.",
    # SearchResult
    "SearchResult": "A role, skill or learning path that matched a search, with its score.",
    # Skill
    "Skill": "A skill or technology: language, framework, database, tool, practice...",
    "Skill.slug": "Stable identifier, e.g. `postgresql`.",
    "Skill.name": "Display name, e.g. \"PostgreSQL\".",
    "Skill.category": "language, framework, database, protocol, devops, cloud, ...",
    "Skill.description": "What the skill is and what it is used for.",
    "Skill.aliases": "Other names people use for the skill (search matches them), e.g. \"Postgres\".",
    "Skill.hot": "O*NET marks it a hot technology for at least one occupation.",
    "Skill.inDemand": "O*NET marks it in demand in job postings for at least one occupation.",
    "Skill.commodity": "UNSPSC commodity title from O*NET, where known.",
    "Skill.origin": "curated, onet or editor",
    "Skill.roles": "Roles that list this skill, core first.",
    "Skill.roles(importance:)": "Only roles that need the skill at these importances; all when omitted.",
    # SkillConnection
    "SkillConnection": "One page of skills (Relay connection).",
    "SkillConnection.edges": "The skills of this page, in order, each with its cursor.",
    "SkillConnection.pageInfo": "Whether more pages exist and the cursors that fetch them.",
    "SkillConnection.totalCount": "Items matching the filter, on all pages.",
    "SkillConnection.nodes": "The nodes of `edges`, for clients that need no cursors.",
    # SkillEdge
    "SkillEdge": "A skill and its position in the list.",
    "SkillEdge.cursor": "Pass as `after` (or `before`) to continue from this skill.",
    "SkillEdge.node": "The skill.",
    # SkillFilter
    "SkillFilter": "Narrows `skills`; every given condition must hold.",
    "SkillFilter.category": ("Only skills of this category, e.g. `language`, `framework`, `database`, "
                             "`protocol`, `devops`, `practice`."),
    "SkillFilter.hot": "Only skills marked hot (true) or not (false).",
    "SkillFilter.inDemand": "Only skills marked in demand (true) or not (false).",
    "SkillFilter.search": "Only skills whose name or an alias begins with this text (case and accents ignored).",
    # SkillGap
    "SkillGap": "What a person still needs for a role, and the steps that teach it.",
    "SkillGap.role": "The role the gap was computed for.",
    "SkillGap.missing": "Most important and most in demand first.",
    "SkillGap.matched": "Slugs of the role's skills the person has.",
    "SkillGap.unknown": "Inputs that name no known skill.",
    "SkillGap.learningPath": "The path whose remaining steps are listed; null when the role has none.",
    "SkillGap.steps": "Steps of the path covering a missing skill.",
    "SkillGap.totalHours": "Estimated hours of those steps.",
    # SkillPayload
    "SkillPayload": "The result of `upsertSkill`.",
    "SkillPayload.skill": "The skill as stored; null when `userErrors` is not empty.",
    "SkillPayload.userErrors": "What was wrong with the input; empty on success.",
    # SkillRole
    "SkillRole": "A role that needs a skill, and how much.",
    "SkillRole.importance": "How much that role needs this skill.",
    "SkillRole.role": "The role; null if it has since been removed.",
    # TitleMatch
    "TitleMatch": "A role a job title may belong to, with how sure the match is.",
    "TitleMatch.score": ("1.0: the title is the role's title or an alias of a curated role; 0.95: an O*NET "
                         "alternate title; below: similar words."),
    "TitleMatch.matchedTitle": "The role's title or alias that matched.",
    "TitleMatch.method": "exact or similar.",
    "TitleMatch.role": "The role the title was routed to.",
    # UpsertLearningPathInput
    "UpsertLearningPathInput": "A curated learning path, written whole.",
    "UpsertLearningPathInput.slug": "Lower-case words joined by hyphens, up to 80 characters.",
    "UpsertLearningPathInput.role": "Slug of the role the path leads into (must exist).",
    "UpsertLearningPathInput.title": "Display name.",
    "UpsertLearningPathInput.summary": "What the path covers.",
    "UpsertLearningPathInput.steps": "The steps in order.",
    # UpsertRoleInput
    "UpsertRoleInput": "A curated role, written whole.",
    "UpsertRoleInput.slug": "Lower-case words joined by hyphens, up to 80 characters.",
    "UpsertRoleInput.title": "Display name.",
    "UpsertRoleInput.family": "Broad group, e.g. `software-engineering`.",
    "UpsertRoleInput.summary": "One or two sentences.",
    "UpsertRoleInput.description": "Longer description.",
    "UpsertRoleInput.aliases": "Other titles of the role; imports route these titles to it.",
    "UpsertRoleInput.responsibilities": "What people in the role do, one task per entry.",
    "UpsertRoleInput.skills": "Skills the role needs, by slug (each must exist), with importance.",
    # UpsertSkillInput
    "UpsertSkillInput": "A curated skill, written whole.",
    "UpsertSkillInput.slug": "Lower-case words joined by hyphens, up to 80 characters.",
    "UpsertSkillInput.name": "Display name.",
    "UpsertSkillInput.category": "e.g. `language`, `framework`, `database`, `protocol`, `devops`, `practice`.",
    "UpsertSkillInput.description": "What the skill is.",
    "UpsertSkillInput.aliases": "Other names (search matches them).",
    # Query
    "Query.role": "A role by slug; null when there is none.",
    "Query.role(slug:)": "The role's slug, e.g. `backend-developer`.",
    "Query.roles": "Roles, filtered and paginated (give `first` or `last`, 1-100).",
    "Query.roles(filter:)": "Conditions the roles must meet.",
    "Query.roles(orderBy:)": "Sort order; the cursor of a page is only valid with the same order.",
    **page_arguments("Query.roles", "role"),
    "Query.skill": "A skill by slug; null when there is none.",
    "Query.skill(slug:)": "The skill's slug, e.g. `docker`.",
    "Query.skills": "Skills, filtered and paginated by name.",
    "Query.skills(filter:)": "Conditions the skills must meet.",
    **page_arguments("Query.skills", "skill"),
    "Query.learningPath": "A learning path by slug; null when there is none.",
    "Query.learningPath(slug:)": "The path's slug.",
    "Query.search": "Roles, skills and learning paths matching `text` (names, aliases, descriptions), best first.",
    "Query.search(text:)": "Words to look for in titles, names and aliases; typos are tolerated.",
    "Query.search(first:)": "How many results, 1 to 50.",
    "Query.skillGap": ("The skills a person lacks for a role (given the ones they `have`, free text such as "
                       "\"k8s\"), and the learning steps covering them."),
    "Query.skillGap(role:)": "Slug of the role to aim for.",
    "Query.skillGap(have:)": "Slugs of the skills the person already has (unknown slugs are ignored).",
    "Query.classifyTitle": ("The roles a job title most likely belongs to, best first (the matcher the "
                            "importers route rows with: role titles and aliases, O*NET's alternate titles, "
                            "then similar words)."),
    "Query.classifyTitle(title:)": "A job title as people write it, e.g. \"Back End Developer\".",
    "Query.classifyTitle(first:)": "How many candidate roles, 1 to 20.",
    # Mutation
    "Mutation.upsertRole": "Create or replace a curated role (editor).",
    "Mutation.upsertRole(input:)": "The whole role; it replaces any role with the same slug.",
    "Mutation.upsertSkill": "Create or replace a skill (editor).",
    "Mutation.upsertSkill(input:)": "The whole skill; it replaces any skill with the same slug.",
    "Mutation.upsertLearningPath": "Create or replace a learning path (editor).",
    "Mutation.upsertLearningPath(input:)": "The whole path; it replaces any path with the same slug.",
}
