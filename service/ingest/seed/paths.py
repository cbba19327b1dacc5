"""The nine-step Backend Developer path of the 2024 article. Step text is careergraph's own;
estimated hours are careergraph's editorial estimates (the article gives none)."""

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

PATHS: tuple[LearningPath, ...] = (BACKEND_PATH,)
