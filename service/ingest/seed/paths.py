"""The nine-step Backend Developer path of the 2024 article, and careergraph's own paths from backend
work to the roles it leads to (API and services, lead backend, DevOps), which `nextMoves` counts
hours on. Step text is careergraph's own; estimated hours are careergraph's editorial estimates (the
article gives none)."""

from __future__ import annotations

from service.catalog.model import LearningPath, LearningStep, Resource

META_CERT = Resource("Meta Back-End Developer Professional Certificate", "certificate")
ORACLE_JAVA = Resource("Oracle Certified Associate, Java Programmer", "certificate")
AWS_FREE = Resource("AWS Free Tier", "documentation", "https://aws.amazon.com/free/")


def _step(position: int, title: str, description: str, skills: str, hours: float,
          *resources: Resource) -> LearningStep:
    prerequisites = (position - 1,) if position > 1 else ()
    return LearningStep(position=position, title=title, description=description,
                        skills=tuple(skills.split()), resources=resources, estimated_hours=hours,
                        prerequisites=prerequisites)


BACKEND_PATH = LearningPath(
    slug="backend-developer-path", role="backend-developer",
    title="Becoming a Backend Developer",
    summary="Nine steps from programming basics to a first backend job, following the 2024 "
            "article's roadmap.",
    sources=("article-backend-2024", "careergraph-editors"),
    steps=(
        _step(1, "Build a strong foundation",
              "Learn programming logic and fundamentals through a beginner course, an app or a "
              "site; a degree helps but is not required.", "problem-solving attention-to-detail", 80),
        _step(2, "Learn data structures and algorithms",
              "Stacks, queues, linked lists, trees and graphs; sorting and searching. Often "
              "skipped, and the basis of efficient code.", "data-structures-algorithms", 60),
        _step(3, "Choose a language and a framework",
              "Start with Python, PHP, Ruby or JavaScript; C and Java are valuable too. Learn "
              "application logic and good coding practice before adding languages.",
              "python php ruby javascript java object-oriented-programming", 120, META_CERT, ORACLE_JAVA),
        _step(4, "Master databases",
              "How data is stored, organised and managed; relational databases first, then "
              "when a document store fits better.",
              "sql relational-databases database-design mysql postgresql mongodb", 60),
        _step(5, "Dive into frameworks",
              "Pick Django, Express or Ruby on Rails; most follow the Model-View-Controller "
              "pattern.", "django express ruby-on-rails mvc", 80),
        _step(6, "Get practical",
              "Build small projects such as a to-do list or a blog to apply what you learned.",
              "git api-design rest debugging", 100),
        _step(7, "Innovate and create",
              "Build something of your own, such as a clone of a product you use, to stand out.",
              "api-design postman authentication", 80),
        _step(8, "Host it in the cloud",
              "Deploy your projects so anyone can use them; AWS offers about a year of free, "
              "limited hosting.", "aws cloud-computing docker nginx", 40, AWS_FREE),
        _step(9, "Craft your resume and portfolio",
              "Show your projects and tailor your resume to each job's requirements.",
              "communication github", 20),
    ),
)

API_SERVICES_PATH = LearningPath(
    slug="api-services-engineer-path", role="api-services-engineer",
    title="From backend work to API and services engineering",
    summary="Four steps for a backend developer who wants to own APIs and services end to end.",
    sources=("careergraph-editors",),
    steps=(
        _step(1, "Write contracts before code",
              "Describe an API in a specification, version it, and review changes for what they break.",
              "api-design rest", 20),
        _step(2, "Speak the older protocols too",
              "Call and expose a SOAP service from a WSDL; many enterprise partners still use them.",
              "soap http", 16),
        _step(3, "Secure every endpoint",
              "Authentication flows, tokens, TLS, and the common web attacks and their defences.",
              "authentication https web-security", 30),
        _step(4, "Make services fast and observable",
              "Cache what can be cached, measure latency, and find where a request spends its time.",
              "caching performance-optimization", 24),
    ),
)

LEAD_BACKEND_PATH = LearningPath(
    slug="lead-backend-engineer-path", role="lead-backend-engineer",
    title="From backend developer to lead backend engineer",
    summary="Five steps from building services to designing systems and leading the people who build them.",
    sources=("careergraph-editors",),
    steps=(
        _step(1, "Design systems, not only services",
              "Partitioning, replication, queues and their trade-offs; practise on the design of systems you use.",
              "system-design scalability load-balancing", 60),
        _step(2, "Run services on Kubernetes",
              "Package services in containers, deploy them on a cluster, and roll them forward and back.",
              "kubernetes docker", 40),
        _step(3, "Automate delivery",
              "A pipeline that tests, builds and deploys every change, with a way back when one fails.",
              "ci-cd", 24),
        _step(4, "See what production does",
              "Metrics, dashboards and alerts that tell the team about a problem before its users do.",
              "prometheus grafana", 20),
        _step(5, "Lead the team",
              "Review designs and code, share the work, run meetings that decide, and grow the people you lead.",
              "team-leadership communication", 50),
    ),
)

DEVOPS_PATH = LearningPath(
    slug="devops-engineer-path", role="devops-engineer",
    title="From backend developer to DevOps engineer",
    summary="Four steps from writing services to building and running the platform they ship on.",
    sources=("careergraph-editors",),
    steps=(
        _step(1, "Serve traffic yourself",
              "Configure a web server as a reverse proxy, terminate TLS, and read its logs.",
              "nginx", 16),
        _step(2, "Containers and clusters",
              "Build small images, then run them on Kubernetes with health checks and limits.",
              "docker kubernetes", 40),
        _step(3, "Pipelines",
              "Continuous integration and delivery with GitHub Actions and with Jenkins.",
              "ci-cd github-actions jenkins", 30),
        _step(4, "Operate in the cloud and watch it",
              "Provision infrastructure in a cloud account, and monitor it with Prometheus and Grafana.",
              "aws cloud-computing prometheus grafana", 40),
    ),
)

PATHS: tuple[LearningPath, ...] = (BACKEND_PATH, API_SERVICES_PATH, LEAD_BACKEND_PATH, DEVOPS_PATH)
