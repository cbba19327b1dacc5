"""O*NET vocabularies careergraph maps onto its own: SOC major groups to role families, UNSPSC
commodity titles to skill categories."""

from __future__ import annotations

SOC_MAJOR_GROUPS = {
    "11": "management", "13": "business-and-financial-operations", "15": "computer-and-mathematical",
    "17": "architecture-and-engineering", "19": "life-physical-and-social-science",
    "21": "community-and-social-service", "23": "legal", "25": "educational-instruction-and-library",
    "27": "arts-design-entertainment-sports-and-media", "29": "healthcare-practitioners-and-technical",
    "31": "healthcare-support", "33": "protective-service", "35": "food-preparation-and-serving",
    "37": "building-and-grounds-cleaning-and-maintenance", "39": "personal-care-and-service",
    "41": "sales", "43": "office-and-administrative-support", "45": "farming-fishing-and-forestry",
    "47": "construction-and-extraction", "49": "installation-maintenance-and-repair",
    "51": "production", "53": "transportation-and-material-moving", "55": "military-specific",
}

_CATEGORY_WORDS = (
    ("data base", "database"),
    ("web platform development", "framework"),
    ("cloud-based", "cloud"),
    ("configuration management", "devops"),
    ("security", "security"),
    ("authentication", "security"),
    ("network monitoring", "monitoring"),
    ("operating system", "platform"),
    ("development environment", "tool"),
    ("object or component oriented", "tool"),
    ("program testing", "tool"),
)


def family_for(code: str) -> str:
    return SOC_MAJOR_GROUPS.get(code[:2], "other")


def category_for(commodity_title: str) -> str:
    lowered = commodity_title.lower()
    for words, category in _CATEGORY_WORDS:
        if words in lowered:
            return category
    return "tool"
