"""Curated sources and skills, from the four articles about the backend-developer career.

Aliases include the names O*NET uses for the same technology ("Oracle Java", "Jenkins CI"), so
an O*NET import links to these skills instead of creating near-duplicates.
"""

from __future__ import annotations

from service.catalog.model import Skill
from service.provenance import Source

_SEEDS = "careergraph seed corpus (shared/seeds)"

SOURCES: tuple[Source, ...] = (
    Source("article-backend-guide", "Unattributed web article", "Guide to becoming a backend developer",
           note=f"{_SEEDS}, 000_5735ad055ae4670b; cites the U.S. BLS for its outlook figure"),
    Source("article-backend-what-is", "Unattributed web article",
           "What is a Back-End Developer? What Do They Do? Skills, Salary, Roles",
           note=f"{_SEEDS}, 001_5fff26d0ac37c262; a compilation citing PayScale for its salary figure"),
    Source("article-backend-2024", "Unattributed web article", "How to Become a Backend Developer in 2024?",
           published=None,
           note=f"{_SEEDS}, 002_b9cf8b02088084d4; cites the U.S. BLS and Glassdoor; course dates May 2024"),
    Source("article-backend-role", "Unattributed blog post",
           "What backend developers do and the skills they need",
           note=f"{_SEEDS}, 003_8b0c819caa197273"),
    Source("careergraph-editors", "careergraph", "careergraph editorial estimates",
           note="Figures such as a learning step's estimated hours, set by careergraph's editors"),
)


def _s(slug: str, name: str, category: str, description: str, *aliases: str) -> Skill:
    return Skill(slug=slug, name=name, category=category, description=description, aliases=aliases)


SKILLS: tuple[Skill, ...] = (
    # languages
    _s("python", "Python", "language", "General-purpose language behind Django and Flask back ends.",
       "py", "python3"),
    _s("java", "Java", "language", "Statically typed JVM language common in enterprise back ends.",
       "Oracle Java"),
    _s("javascript", "JavaScript", "language", "The web's language, on servers through Node.js.",
       "js", "ecmascript"),
    _s("php", "PHP", "language", "Server-side scripting language behind Laravel.",
       "Hypertext preprocessor PHP"),
    _s("ruby", "Ruby", "language", "Dynamic, open-source language known for Ruby on Rails."),
    _s("csharp", "C#", "language", "Microsoft's language for .NET services.", "c sharp", "csharp"),
    _s("c", "C", "language", "Low-level systems language; useful grounding for any developer."),
    _s("sql", "SQL", "language", "The query language of relational databases.",
       "Structured query language SQL"),
    _s("html", "HTML", "language", "Markup of web pages; back-end developers need its basics.",
       "Hypertext markup language HTML"),
    _s("css", "CSS", "language", "Style sheets of web pages; basic knowledge helps talk to front-end peers.",
       "Cascading style sheets CSS"),
    # runtimes and platforms
    _s("nodejs", "Node.js", "platform", "JavaScript runtime for servers.", "node", "node js"),
    _s("dotnet", ".NET", "platform", "Microsoft's application platform.", "Microsoft .NET Framework",
       "dot net"),
    # frameworks
    _s("django", "Django", "framework", "Batteries-included Python web framework (MVC style)."),
    _s("flask", "Flask", "framework", "Minimal Python web framework."),
    _s("express", "Express", "framework", "Minimal web framework for Node.js.", "express.js", "expressjs"),
    _s("ruby-on-rails", "Ruby on Rails", "framework", "Convention-first Ruby web framework.", "rails", "ror"),
    _s("spring-boot", "Spring Boot", "framework", "Opinionated way to build Spring services in Java."),
    _s("spring", "Spring", "framework", "The Java application framework under Spring Boot.",
       "Spring Framework"),
    _s("laravel", "Laravel", "framework", "PHP web framework."),
    _s("cherrypy", "CherryPy", "framework", "Minimal object-oriented Python web framework."),
    _s("bootstrap", "Bootstrap", "framework", "Front-end CSS toolkit; rarely asked of back-end roles."),
    # databases
    _s("mysql", "MySQL", "database", "Widely used open-source relational database."),
    _s("postgresql", "PostgreSQL", "database", "Open-source relational database.", "postgres", "psql", "pg"),
    _s("mongodb", "MongoDB", "database", "Document database (NoSQL).", "mongo"),
    _s("redis", "Redis", "database", "In-memory key-value store, often a cache or queue."),
    _s("sqlite", "SQLite", "database", "Embedded relational database in a single file."),
    _s("mariadb", "MariaDB", "database", "Community fork of MySQL."),
    _s("nosql", "NoSQL databases", "concept", "Non-relational data stores and when to use them.",
       "non-relational databases", "NoSQL"),
    _s("relational-databases", "Relational databases", "concept",
       "Tables, keys, joins and transactions.", "rdbms"),
    # protocols
    _s("http", "HTTP", "protocol", "The web's request/response protocol."),
    _s("https", "HTTPS", "protocol", "HTTP over TLS."),
    _s("rest", "REST", "protocol", "Resource-oriented API style over HTTP.", "RESTful API", "restful"),
    _s("soap", "SOAP", "protocol", "XML-based web-service protocol."),
    # version control, CI/CD, containers
    _s("git", "Git", "tool", "Distributed version control.", "version control"),
    _s("github", "GitHub", "tool", "Hosting for Git repositories and portfolios."),
    _s("docker", "Docker", "devops", "Containers for packaging and running services."),
    _s("kubernetes", "Kubernetes", "devops", "Container orchestration.", "k8s", "kube"),
    _s("jenkins", "Jenkins", "devops", "Self-hosted continuous-integration server.", "Jenkins CI"),
    _s("github-actions", "GitHub Actions", "devops", "CI/CD workflows hosted by GitHub.", "gha"),
    # cloud
    _s("aws", "AWS", "cloud", "Amazon Web Services.", "Amazon Web Services AWS software",
       "amazon web services"),
    _s("google-cloud", "Google Cloud", "cloud", "Google's cloud platform.", "Google Cloud software",
       "gcp"),
    _s("azure", "Microsoft Azure", "cloud", "Microsoft's cloud platform.", "Microsoft Azure software",
       "azure"),
    # web servers
    _s("nginx", "Nginx", "web_server", "Web server and reverse proxy.", "engine x"),
    _s("apache-http-server", "Apache HTTP Server", "web_server", "The Apache web server.", "apache",
       "httpd"),
    # monitoring
    _s("prometheus", "Prometheus", "monitoring", "Metrics collection and alerting."),
    _s("grafana", "Grafana", "monitoring", "Dashboards for metrics and logs.", "Grafana Labs Grafana Cloud"),
    _s("new-relic", "New Relic", "monitoring", "Hosted application-performance monitoring."),
    # tools
    _s("postman", "Postman", "tool", "Client for exploring and testing APIs."),
    # security
    _s("web-security", "Web application security", "security",
       "Secure coding and the best practices that keep services and data safe.", "security"),
    _s("cryptography", "Cryptography", "security", "Encryption, hashing and signatures applied to data.",
       "encryption"),
    _s("authentication", "Authentication and authorisation", "security",
       "Proving who a user is and what they may do.", "auth", "authorization", "authn", "authz"),
    # practices and concepts
    _s("api-design", "API design and development", "practice",
       "Designing, building and integrating APIs between client, server and third parties.",
       "api development", "apis", "api"),
    _s("database-design", "Database design", "practice",
       "Schemas, queries, tuning and protecting data."),
    _s("data-structures-algorithms", "Data structures and algorithms", "concept",
       "Stacks, queues, lists, trees, graphs, sorting and searching.", "dsa", "algorithms"),
    _s("object-oriented-programming", "Object-oriented programming", "concept",
       "Designing with classes and objects.", "oop"),
    _s("mvc", "Model-View-Controller", "concept", "The pattern most web frameworks follow.",
       "model view controller"),
    _s("caching", "Caching", "practice", "Keeping hot data close to cut latency and load."),
    _s("load-balancing", "Load balancing", "practice", "Spreading traffic across servers.",
       "load balancers"),
    _s("scalability", "Scalability", "practice", "Serving growing load without rewrites."),
    _s("performance-optimization", "Performance optimisation", "practice",
       "Tuning code, queries and memory for speed.", "performance tuning"),
    _s("debugging", "Debugging and troubleshooting", "practice",
       "Finding faults through logs and debugging tools.", "troubleshooting"),
    _s("cloud-computing", "Cloud computing", "concept", "Running and deploying services on cloud platforms."),
    _s("web-architecture", "Web architecture and networking", "concept",
       "How clients, servers, networks and caches fit together.", "networking"),
    _s("system-design", "System design", "practice", "Designing whole services for scale and failure."),
    _s("containerization", "Containerisation", "practice", "Packaging services as containers."),
    _s("ci-cd", "Continuous integration and deployment", "practice",
       "Building, testing and shipping on every change.", "cicd", "continuous integration"),
    # soft skills
    _s("communication", "Communication", "soft_skill",
       "Explaining technical choices to developers, designers and stakeholders."),
    _s("teamwork", "Teamwork", "soft_skill", "Working productively with other developers.",
       "collaboration"),
    _s("problem-solving", "Problem solving", "soft_skill", "Breaking problems down and solving them.",
       "critical thinking"),
    _s("continuous-learning", "Continuous learning", "soft_skill",
       "Keeping up with new languages, frameworks and practices."),
    _s("attention-to-detail", "Attention to detail", "soft_skill", "Care with the small things that break."),
    _s("team-leadership", "Team leadership", "soft_skill",
       "Leading engineers and setting technical direction.", "leadership"),
)
