"""Curated roles: the ones the articles name, the contrasts they draw, and the roles that salary
imports map titles onto. Summaries and responsibilities are careergraph's own words."""

from __future__ import annotations

from service.catalog.model import RelatedRole, Role, RoleSkill

ARTICLES = ("article-backend-guide", "article-backend-what-is", "article-backend-2024",
            "article-backend-role")


def _skills(core: str = "", recommended: str = "", optional: str = "") -> tuple[RoleSkill, ...]:
    links = []
    for importance, names in (("core", core), ("recommended", recommended), ("optional", optional)):
        links += [RoleSkill(skill=name, importance=importance) for name in names.split()]
    return tuple(links)


def _related(tier: str, *slugs: str) -> tuple[RelatedRole, ...]:
    return tuple(RelatedRole(role=slug, tier=tier) for slug in slugs)


BACKEND_CORE = "sql database-design api-design rest http https git web-security authentication debugging " \
               "scalability problem-solving communication teamwork"

ROLES: tuple[Role, ...] = (
    Role(
        slug="backend-developer", title="Backend Developer", family="software-engineering",
        aliases=("Back-End Developer", "Back End Developer", "Backend Engineer", "Back-end Engineer",
                 "Server-side Developer", "Backend Web Developer", "backend dev"),
        summary="Builds and runs the server side of web and mobile applications: APIs, databases "
                "and the business logic between them.",
        description="Backend developers own what users never see: the services that receive "
                    "requests, apply the application's rules, store and fetch data, and answer "
                    "quickly and safely under load. They work closely with front-end developers, "
                    "designers and product people.",
        responsibilities=(
            "Develop, deploy and maintain the server-side parts of applications.",
            "Design, build and document APIs, and integrate third-party services.",
            "Design database schemas, write and tune queries, and keep data safe and available.",
            "Write efficient, scalable code and optimise it for speed and memory.",
            "Debug and troubleshoot production issues using logs and debugging tools.",
            "Apply security practices: encryption, authentication and authorisation.",
            "Use caching and load balancing to keep response times low under heavy traffic.",
            "Agree requirements with front-end developers, designers and project managers.",
            "Keep up with new languages, frameworks and tools.",
        ),
        onet_codes=("15-1254.00", "15-1252.00"),
        skills=_skills(
            core=BACKEND_CORE,
            recommended="python java javascript php ruby csharp nodejs django flask express "
                        "ruby-on-rails spring-boot laravel mysql postgresql mongodb redis docker aws "
                        "caching load-balancing performance-optimization postman "
                        "data-structures-algorithms object-oriented-programming relational-databases nosql "
                        "cloud-computing web-architecture continuous-learning",
            optional="c dotnet spring cherrypy sqlite mariadb soap kubernetes jenkins github-actions "
                     "google-cloud azure nginx apache-http-server prometheus grafana new-relic html css "
                     "cryptography mvc github ci-cd containerization attention-to-detail",
        ),
        related=_related("career step", "api-services-engineer", "lead-backend-engineer")
        + _related("specialisation", "java-developer", "python-web-developer")
        + _related("contrast", "frontend-developer", "full-stack-developer"),
        sources=ARTICLES,
    ),
    Role(
        slug="java-developer", title="Java Developer", family="software-engineering",
        aliases=("Java Backend Developer", "Java Engineer", "Entry-Level Java Developer"),
        summary="Builds back-end applications and services on the Java platform.",
        responsibilities=(
            "Build back-end applications and services in Java, usually with Spring Boot.",
            "Model data and access relational databases from the JVM.",
            "Write automated tests and keep services observable in production.",
        ),
        onet_codes=("15-1252.00", "15-1251.00"),
        skills=_skills(core="java spring-boot sql api-design rest git object-oriented-programming",
                       recommended="spring mysql postgresql docker data-structures-algorithms debugging",
                       optional="jenkins aws kubernetes"),
        related=_related("broader role", "backend-developer"),
        sources=("article-backend-2024",),
    ),
    Role(
        slug="python-web-developer", title="Python Web Developer", family="web-development",
        aliases=("Python Developer", "Django Developer", "Python Backend Developer"),
        summary="Writes back-end code in Python, typically with Django.",
        responsibilities=(
            "Develop web back ends in Python with Django or Flask.",
            "Design models and queries for relational databases.",
            "Expose and consume REST APIs.",
        ),
        onet_codes=("15-1254.00", "15-1252.00"),
        skills=_skills(core="python django sql rest git api-design",
                       recommended="flask postgresql html css docker debugging",
                       optional="cherrypy redis aws"),
        related=_related("broader role", "backend-developer"),
        sources=("article-backend-2024",),
    ),
    Role(
        slug="api-services-engineer", title="API and Services Engineer", family="software-engineering",
        aliases=("API Engineer", "Services Engineer", "API Developer"),
        summary="Builds, tests and maintains APIs and web services; usually asks for three to five "
                "years of back-end experience.",
        responsibilities=(
            "Construct, test and maintain APIs and web services.",
            "Define API contracts, versioning and authentication.",
            "Monitor service health and performance.",
        ),
        onet_codes=("15-1252.00",),
        skills=_skills(core="api-design rest http https authentication postman web-security",
                       recommended="soap python java nodejs docker caching performance-optimization",
                       optional="kubernetes prometheus grafana"),
        related=_related("career step", "lead-backend-engineer")
        + _related("earlier step", "backend-developer"),
        sources=("article-backend-2024",),
    ),
    Role(
        slug="lead-backend-engineer", title="Lead Backend Engineer", family="software-engineering",
        aliases=("Backend Lead", "Lead Back-End Engineer", "Senior Backend Engineer"),
        summary="Leads a team of backend developers designing robust server-side applications; "
                "typically six to eight years of increasingly complex work.",
        responsibilities=(
            "Lead a team of backend developers and review their designs and code.",
            "Design robust, scalable server-side systems.",
            "Set engineering practices for testing, deployment and monitoring.",
        ),
        onet_codes=("15-1252.00", "15-1299.08"),
        skills=_skills(core="system-design api-design database-design team-leadership communication "
                            "scalability web-security",
                       recommended="kubernetes docker ci-cd prometheus grafana caching load-balancing",
                       optional="new-relic"),
        related=_related("career step", "director-of-engineering")
        + _related("earlier step", "api-services-engineer", "backend-developer"),
        sources=("article-backend-2024",),
    ),
    Role(
        slug="director-of-engineering", title="Director of Engineering", family="engineering-management",
        aliases=("Engineering Director", "Head of Engineering"),
        summary="Sets the technical vision and leads all the engineers of an organisation; usually "
                "asks for ten to fifteen years of development and management experience.",
        responsibilities=(
            "Set the technical vision and strategy.",
            "Lead and grow the engineering organisation.",
            "Own delivery, quality and reliability across teams.",
        ),
        onet_codes=("11-3021.00",),
        skills=_skills(core="team-leadership communication system-design",
                       recommended="teamwork problem-solving"),
        related=_related("earlier step", "lead-backend-engineer"),
        sources=("article-backend-2024",),
    ),
    Role(
        slug="frontend-developer", title="Front-end Developer", family="web-development",
        aliases=("Frontend Developer", "Front End Developer", "Frontend Engineer", "UI Developer"),
        summary="Builds what users see and touch in the browser; works against the APIs backend "
                "developers provide.",
        responsibilities=("Build user interfaces with HTML, CSS and JavaScript.",
                          "Integrate the back end's APIs into the interface."),
        onet_codes=("15-1254.00",),
        skills=_skills(core="html css javascript git", recommended="bootstrap rest communication",
                       optional="nodejs"),
        related=_related("contrast", "backend-developer") + _related("neighbour", "full-stack-developer"),
        sources=("article-backend-what-is", "article-backend-role"),
    ),
    Role(
        slug="full-stack-developer", title="Full-stack Developer", family="web-development",
        aliases=("Full Stack Developer", "Fullstack Developer", "Full Stack Engineer",
                 "Full Stack Web Developer"),
        summary="Works on both the front end and the back end of web applications.",
        responsibilities=("Build features end to end, from interface to database.",
                          "Design APIs and the interfaces that use them."),
        onet_codes=("15-1254.00", "15-1252.00"),
        skills=_skills(core="html css javascript sql api-design git",
                       recommended="nodejs express rest mongodb postgresql docker",
                       optional="python django aws"),
        related=_related("neighbour", "backend-developer", "frontend-developer"),
        sources=("article-backend-2024",),
    ),
    Role(
        slug="software-engineer", title="Software Engineer", family="software-engineering",
        aliases=("Software Developer", "SWE", "Software Development Engineer", "SDE"),
        summary="Designs, builds and maintains software; the general role behind most specialised "
                "engineering titles.",
        onet_codes=("15-1252.00",),
        skills=_skills(core="data-structures-algorithms git problem-solving",
                       recommended="python java javascript sql system-design"),
        related=_related("specialisation", "backend-developer", "frontend-developer",
                         "full-stack-developer"),
    ),
    Role(
        slug="devops-engineer", title="DevOps Engineer", family="operations",
        aliases=("Site Reliability Engineer", "SRE", "Platform Engineer"),
        summary="Builds and runs the delivery pipeline and the infrastructure services run on.",
        onet_codes=("15-1244.00",),
        skills=_skills(core="docker kubernetes ci-cd git cloud-computing",
                       recommended="jenkins github-actions aws prometheus grafana nginx",
                       optional="google-cloud azure new-relic"),
        related=_related("neighbour", "backend-developer"),
    ),
    Role(
        slug="machine-learning-engineer", title="Machine Learning Engineer", family="data",
        aliases=("ML Engineer", "AI Engineer", "ML / AI Engineer"),
        summary="Builds and deploys machine-learning models in production systems.",
        onet_codes=("15-2051.00",),
        skills=_skills(core="python data-structures-algorithms", recommended="sql docker cloud-computing"),
    ),
    Role(
        slug="mobile-developer", title="Mobile Developer", family="software-engineering",
        aliases=("iOS Developer", "Android Developer", "Mobile Engineer"),
        summary="Builds applications for iOS and Android devices.",
        onet_codes=("15-1252.00",),
        skills=_skills(core="git api-design", recommended="rest"),
    ),
    Role(
        slug="data-scientist", title="Data Scientist", family="data",
        summary="Analyses data and builds models to answer business questions.",
        onet_codes=("15-2051.00",),
        skills=_skills(core="python sql", recommended="data-structures-algorithms communication"),
    ),
    Role(
        slug="engineering-manager", title="Software Engineering Manager", family="engineering-management",
        aliases=("Engineering Manager", "EM"),
        summary="Manages a team of software engineers and its delivery.",
        onet_codes=("11-3021.00",),
        skills=_skills(core="team-leadership communication", recommended="system-design"),
        related=_related("career step", "director-of-engineering"),
    ),
    Role(
        slug="product-manager", title="Product Manager", family="product",
        aliases=("PM",),
        summary="Decides what a product should do and why, with engineering and design.",
        skills=_skills(core="communication", recommended="problem-solving"),
    ),
    Role(
        slug="other-roles", title="Other roles", family="other",
        summary="Salary observations whose titles fit no curated role. Each keeps its original "
                "title, so nothing is dropped and it can be reclassified later.",
    ),
)
