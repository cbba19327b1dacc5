"""The MongoDB collections of official figures: OEWS wages and their areas, occupations and
industries; ECB exchange rates; the World Bank's PPP conversion factors. Merged into
`database.VALIDATORS` / `database.INDEXES`."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, DESCENDING, TEXT, IndexModel

OFFICIAL_WAGES = "official_wages"
AREAS = "areas"
OCCUPATIONS = "occupations"
INDUSTRIES = "industries"
FX_DAILY = "fx_daily"
FX_YEARS = "fx_years"
PPP_FACTORS = "ppp_factors"

_NUM = {"bsonType": ["double", "int", "long", "null"]}
_SOC = {"bsonType": "string", "pattern": r"^\d{2}-\d{4}$"}


def _schema(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {"$jsonSchema": {"bsonType": "object", "required": required, "properties": properties}}


VALIDATORS: dict[str, dict[str, Any]] = {
    OFFICIAL_WAGES: _schema(["_id", "area", "area_type", "industry", "occupation", "release"], {
        "_id": {"bsonType": "string"}, "area": {"bsonType": "string", "pattern": r"^\d{7}$"},
        "area_type": {"enum": ["NATIONAL", "STATE", "METRO"]}, "occupation": _SOC,
        "employment": _NUM, "annual_median": _NUM, "annual_mean": _NUM, "wage_rse": _NUM,
        "at_least": {"bsonType": "object"}, "not_released": {"bsonType": "array"},
    }),
    AREAS: _schema(["code", "name", "type"], {"code": {"bsonType": "string"},
                                               "type": {"enum": ["NATIONAL", "STATE", "METRO"]}}),
    OCCUPATIONS: _schema(["code", "name", "level"], {"code": _SOC,
                                                     "level": {"enum": ["major", "minor", "broad", "detailed"]}}),
    INDUSTRIES: _schema(["code", "name"], {"code": {"bsonType": "string"}}),
    FX_DAILY: _schema(["date", "rates", "sources"], {"date": {"bsonType": "string",
                                                              "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                                                     "rates": {"bsonType": "object"},
                                                     "sources": {"bsonType": "object"}}),
    FX_YEARS: _schema(["year", "currency", "per_eur", "days", "source"], {
        "year": {"bsonType": "int"}, "currency": {"bsonType": "string", "pattern": "^[A-Z]{3}$"},
        "per_eur": {"bsonType": ["double", "int"], "minimum": 0, "exclusiveMinimum": True},
        "days": {"bsonType": "int", "minimum": 1}}),
    PPP_FACTORS: _schema(["country", "year", "factor", "source"], {
        "country": {"bsonType": "string", "pattern": "^[A-Z]{2}$"}, "year": {"bsonType": "int"},
        "factor": {"bsonType": ["double", "int"], "minimum": 0, "exclusiveMinimum": True}}),
}

INDEXES: dict[str, list[IndexModel]] = {
    OFFICIAL_WAGES: [IndexModel([("occupation", ASCENDING), ("area_type", ASCENDING), ("industry", ASCENDING),
                                 ("area", ASCENDING), ("release", ASCENDING)]),
                     IndexModel([("release", DESCENDING)])],  # the newest release, read on the request path
    AREAS: [IndexModel([("code", ASCENDING)], unique=True), IndexModel([("type", ASCENDING), ("name", ASCENDING)]),
            IndexModel([("name", TEXT)], name="area_text")],
    OCCUPATIONS: [IndexModel([("code", ASCENDING)], unique=True)],
    INDUSTRIES: [IndexModel([("code", ASCENDING)], unique=True)],
    FX_DAILY: [IndexModel([("date", ASCENDING)], unique=True)],
    FX_YEARS: [IndexModel([("year", ASCENDING), ("currency", ASCENDING)], unique=True)],
    PPP_FACTORS: [IndexModel([("country", ASCENDING), ("year", ASCENDING)], unique=True)],
}
