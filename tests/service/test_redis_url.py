"""REDIS_URL's two forms, one server or a Sentinel-managed master, read in one place: what each
part means, and a clear one-line error that never repeats a password for a malformed one."""

from __future__ import annotations

import pytest

from service.platform.config import Settings, redact_url
from service.platform.environment import SettingsError
from service.platform.redis_url import SENTINEL_PORT, parse_sentinel_url


def test_the_sentinel_form_names_the_sentinels_the_master_and_the_database() -> None:
    target = parse_sentinel_url("redis+sentinel://s1.internal:26380,s2.internal,[::1]:26381/cache-main/3")
    assert target.sentinels == (("s1.internal", 26380), ("s2.internal", SENTINEL_PORT), ("::1", 26381))
    assert (target.master, target.db) == ("cache-main", 3)
    assert target.password is None and target.sentinel_password is None


def test_the_database_is_0_when_left_out() -> None:
    assert parse_sentinel_url("redis+sentinel://s1:26379/main").db == 0
    assert parse_sentinel_url("redis+sentinel://s1:26379/main/").db == 0


def test_passwords_for_the_master_and_for_the_sentinels() -> None:
    target = parse_sentinel_url(
        "redis+sentinel://app:p%40ss%3Aword@s1:26379,s2:26379/main/1?sentinel_password=s3nt%26&sentinel_username=mon")
    assert (target.username, target.password) == ("app", "p@ss:word")
    assert (target.sentinel_username, target.sentinel_password) == ("mon", "s3nt&")
    only_password = parse_sentinel_url("redis+sentinel://:hunter22@s1:26379/main")
    assert (only_password.username, only_password.password) == (None, "hunter22")
    assert "hunter22" not in repr(only_password)


def test_settings_accept_every_form() -> None:
    for url in ("redis://cache:6379/1", "rediss://:pw@cache:6380/0", "unix:///run/redis.sock",
                "redis+sentinel://s1:26379,s2:26379,s3:26379/main/0"):
        assert Settings.from_env({"REDIS_URL": url}).redis_url == url


@pytest.mark.parametrize(("url", "says"), [
    ("redis+sentinel://:SECRETPW@/main/0", "names no sentinel"),
    ("redis+sentinel://:SECRETPW@s1:26379", "names no master"),
    ("redis+sentinel://:SECRETPW@s1:26379/main/zero", "/MASTER_NAME/DB"),
    ("redis+sentinel://:SECRETPW@s1:26379/main/0/extra", "/MASTER_NAME/DB"),
    ("redis+sentinel://:SECRETPW@s1:99999/main", "outside 1-65535"),
    ("redis+sentinel://:SECRETPW@s1:26379;s2:26379/main", "HOST:PORT separated by commas"),
    ("redis+sentinel://:SECRETPW@s1:26379/main name", "master name"),
    ("redis+sentinel://:SECRETPW@s1:26379/main?password=SECRETPW", "unknown option 'password'"),
    ("redis+sentinel://s1:26379/main?sentinel_password=SECRETPW&sentinel_password=SECRETPW", "option twice"),
    ("sentinel://:SECRETPW@s1:26379/main", "starting with one of redis://"),
    ("redis://", "starting with one of redis://"),
])
def test_a_malformed_url_is_named_and_its_password_never_printed(url: str, says: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"REDIS_URL": url})
    message = str(caught.value)
    assert message.startswith("REDIS_URL ") and says in message and "\n" not in message
    assert "SECRETPW" not in message and caught.value.__cause__ is None


def test_a_sentinel_url_is_redacted_to_its_hosts_and_master() -> None:
    redacted = redact_url("redis+sentinel://app:SECRETPW@s1:26379,s2:26379/main/2?sentinel_password=SECRETPW")
    assert redacted == "redis+sentinel://s1:26379,s2:26379/main"
    assert redact_url("mongodb://u:SECRETPW@m1:27017,m2:27017/?replicaSet=rs0") == "mongodb://m1:27017,m2:27017"
