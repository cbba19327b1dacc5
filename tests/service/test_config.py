from pathlib import Path

import pytest

from service.platform.config import Settings, redact_url
from service.platform.environment import ENVIRONMENT_VARIABLES, SettingsError


def test_defaults_are_the_embedded_mode() -> None:
    settings = Settings.from_env({})
    assert settings.mongodb_url is None and settings.redis_url is None
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.data_dir == Path(".careergraph")
    assert not settings.is_production


def test_every_variable_is_read() -> None:
    settings = Settings.from_env({
        "MONGODB_URL": "mongodb://db:27017/?replicaSet=rs0",
        "MONGODB_DB": "cg_prod",
        "REDIS_URL": "redis://cache:6379/1",
        "CAREERGRAPH_HOST": "0.0.0.0",
        "CAREERGRAPH_PORT": "9000",
        "CAREERGRAPH_DATA_DIR": "/var/lib/cg",
        "CAREERGRAPH_LOG_LEVEL": "DEBUG",
        "CAREERGRAPH_ENV": "production",
        "CAREERGRAPH_REQUIRE_API_KEY": "yes",
        "CAREERGRAPH_CORS_ORIGINS": "https://a.example, https://b.example",
        "CAREERGRAPH_MIN_CELL_SIZE": "3",
    })
    assert settings.mongodb_url == "mongodb://db:27017/?replicaSet=rs0"
    assert settings.mongodb_db == "cg_prod"
    assert settings.redis_url == "redis://cache:6379/1"
    assert settings.port == 9000 and settings.host == "0.0.0.0"
    assert settings.data_dir == Path("/var/lib/cg")
    assert settings.log_level == "debug"
    assert settings.is_production and settings.require_api_key
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.min_cell_size == 3


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CAREERGRAPH_PORT", "abc"),
        ("CAREERGRAPH_PORT", "0"),
        ("CAREERGRAPH_PORT", "70000"),
        ("MONGODB_URL", "http://localhost:27017"),
        ("MONGODB_URL", "localhost:27017"),
        ("REDIS_URL", "mongodb://x"),
        ("MONGODB_DB", "has space"),
        ("CAREERGRAPH_LOG_LEVEL", "loud"),
        ("CAREERGRAPH_ENV", "staging"),
        ("CAREERGRAPH_REQUIRE_API_KEY", "maybe"),
        ("CAREERGRAPH_MONGODB_TIMEOUT", "-1"),
        ("CAREERGRAPH_EXECUTION_TIMEOUT", "0"),
        ("CAREERGRAPH_MIN_CELL_SIZE", "0"),
    ],
)
def test_a_malformed_value_names_its_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({name: value})
    message = str(caught.value)
    assert message.startswith(name) and "\n" not in message


def test_settings_are_frozen() -> None:
    settings = Settings.from_env({})
    with pytest.raises(AttributeError):
        settings.port = 1  # type: ignore[misc]


def test_environment_variables_list_matches_parser() -> None:
    assert {"MONGODB_URL", "REDIS_URL", "CAREERGRAPH_PORT"} <= ENVIRONMENT_VARIABLES


def test_redact_url_drops_credentials_and_options() -> None:
    redacted = redact_url("mongodb://admin:s3cret@db.internal:27017/x?authSource=admin")
    assert redacted == "mongodb://db.internal:27017"
    assert "s3cret" not in redact_url("redis://:s3cret@cache:6379/0")


def test_normalisation_targets_always_include_usd() -> None:
    assert Settings.from_env({"CAREERGRAPH_NORMALIZE_TO": "eur, gbp"}).normalize_to == ("USD", "EUR", "GBP")
    assert Settings.from_env({}).normalize_to == ("USD", "EUR")
    assert Settings.from_env({"CAREERGRAPH_LOAD_OFFICIAL": "false"}).load_official is False
    for bad in ("euro", "USD;EUR", ","):
        with pytest.raises(SettingsError, match="CAREERGRAPH_NORMALIZE_TO"):
            Settings.from_env({"CAREERGRAPH_NORMALIZE_TO": bad})


def test_persisted_query_mode_is_one_of_three() -> None:
    assert Settings.from_env({"CAREERGRAPH_PERSISTED_QUERIES": "AllowList"}).persisted_queries == "allowlist"
    assert Settings.from_env({}).persisted_queries == "auto"
    with pytest.raises(SettingsError, match="CAREERGRAPH_PERSISTED_QUERIES must be one of auto, allowlist, off"):
        Settings.from_env({"CAREERGRAPH_PERSISTED_QUERIES": "strict"})


def test_websockets_get_a_budget_below_the_connection_limit() -> None:
    defaults = Settings.from_env({})
    assert (defaults.ws_connection_limit, defaults.ws_max_per_address, defaults.ws_max_pending_per_address,
            defaults.ws_init_timeout_s) == (500, 16, 4, 3.0)
    assert Settings.from_env({"CAREERGRAPH_MAX_CONNECTIONS": "40"}).ws_connection_limit == 20
    chosen = Settings.from_env({"CAREERGRAPH_WS_MAX_CONNECTIONS": "30", "CAREERGRAPH_WS_MAX_PER_ADDRESS": "2",
                                "CAREERGRAPH_WS_MAX_PENDING_PER_ADDRESS": "1"})
    assert (chosen.ws_connection_limit, chosen.ws_max_per_address, chosen.ws_max_pending_per_address) == (30, 2, 1)
    # never all of them: requests keep room whatever is asked
    assert Settings.from_env({"CAREERGRAPH_MAX_CONNECTIONS": "40",
                              "CAREERGRAPH_WS_MAX_CONNECTIONS": "100"}).ws_connection_limit == 39
    with pytest.raises(SettingsError, match="CAREERGRAPH_WS_MAX_PER_ADDRESS"):
        Settings.from_env({"CAREERGRAPH_WS_MAX_PER_ADDRESS": "0"})
