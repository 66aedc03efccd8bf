"""Settings: environment over file, defaults, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.telegram.settings import (
    TELEGRAM_API_DEFAULT,
    TelegramSettings,
    load_telegram_settings,
)
from retrieval.errors import SettingsError
from retrieval.settings import BUNDLED_MODEL, load_settings

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw_"


def test_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = load_settings(env={})
    t = load_telegram_settings(env={})
    assert s.seeds == Path("seeds") and s.index == Path("index")
    assert s.model == BUNDLED_MODEL and t.token is None
    assert t.api_base_url == TELEGRAM_API_DEFAULT
    assert t.allowed_users == frozenset() and t.rate_limit == 12 and s.threads == 0
    assert load_settings(env={"NEWSQA_THREADS": "1"}).threads == 1


def test_environment_wins_over_file(tmp_path):
    config = tmp_path / "newsqa.toml"
    config.write_text(
        'seeds = "/data/news"\nmodel = "from-file"\n'
        '[telegram]\nallowed_users = [1, 2]\nadmins = [1]\nrate_limit = 5\n',
        encoding="utf-8",
    )
    env = {"NEWSQA_MODEL": "from-env", "NEWSQA_ALLOWED_CHATS": "-100123, 42",
           "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot"}
    s = load_settings(env=env, config_file=config)
    t = load_telegram_settings(env=env, config_file=config)
    assert s.seeds == Path("/data/news") and s.model == "from-env"
    assert t.allowed_users == {1, 2} and t.admins == {1} and t.rate_limit == 5
    assert t.allowed_chats == {-100123, 42}
    assert t.api_base_url == "http://127.0.0.1:8081/bot"
    assert t.require_token() == TOKEN


def test_config_file_from_environment_variable(tmp_path):
    config = tmp_path / "other.toml"
    config.write_text('index = "/var/newsqa"\n', encoding="utf-8")
    assert load_settings(env={"NEWSQA_CONFIG": str(config)}).index == Path("/var/newsqa")


@pytest.mark.parametrize(
    "env,message",
    [
        ({"NEWSQA_ADMINS": "alice"}, "numeric ids"),
        ({"NEWSQA_MIN_SCORE": "2"}, "between -1 and 1"),
        ({"NEWSQA_RATE_LIMIT": "lots"}, "invalid value"),
        ({"NEWSQA_THREADS": "-2"}, "NEWSQA_THREADS must be 0"),
        ({"NEWSQA_EMBEDDING": "int8"}, "NEWSQA_EMBEDDING must be one of auto, openvino-f32, .*'int8'"),
        ({"NEWSQA_CONFIG": "/nonexistent/newsqa.toml"}, "cannot read config file"),
    ],
)
def test_invalid_values_are_clear_errors(env, message):
    with pytest.raises(SettingsError, match=message):
        load_settings(env=env)
        load_telegram_settings(env=env)


def test_unknown_key_in_file(tmp_path):
    config = tmp_path / "newsqa.toml"
    config.write_text("sedes = 'typo'\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="unknown key 'sedes'"):
        load_settings(env={}, config_file=config)
    config.write_text("[telegram]\ntokn = 'typo'\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"\[telegram\]: unknown key 'tokn'"):
        load_telegram_settings(env={}, config_file=config)


@pytest.mark.parametrize("token", [None, "", "   "])
def test_missing_token(token):
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN is not set.*BotFather"):
        TelegramSettings(token=token).require_token()


@pytest.mark.parametrize("token", ["abc", "123:short", f"'{TOKEN}'", "123456789 AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"])
def test_malformed_token(token):
    with pytest.raises(SettingsError, match="does not look like a bot token"):
        TelegramSettings(token=token).require_token()


def test_follow_links_is_a_yes_no_setting(tmp_path):
    assert load_settings(env={}).follow_links is False
    assert load_settings(env={"NEWSQA_FOLLOW_LINKS": "1"}).follow_links is True
    assert load_settings(env={"NEWSQA_FOLLOW_LINKS": "no"}).follow_links is False
    config = tmp_path / "newsqa.toml"
    config.write_text("follow_links = true\n", encoding="utf-8")
    assert load_settings(env={}, config_file=config).follow_links is True
    with pytest.raises(SettingsError, match="follow_links"):
        load_settings(env={"NEWSQA_FOLLOW_LINKS": "perhaps"})


def test_the_ray_address_comes_from_the_environment_or_the_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings(env={}).ray_address is None  # a local build by default
    assert load_settings(env={"NEWSQA_RAY_ADDRESS": " 10.0.0.5:6379 "}).ray_address == "10.0.0.5:6379"
    assert load_settings(env={"NEWSQA_RAY_ADDRESS": ""}).ray_address is None
    config = tmp_path / "newsqa.toml"
    config.write_text('ray_address = "auto"\n', encoding="utf-8")
    assert load_settings(env={}, config_file=config).ray_address == "auto"


@pytest.mark.parametrize("path", ["auto", "openvino-f32", "onnxruntime-int8", "onnxruntime-q4", "torch", "onnx"])
def test_every_embedding_path_is_a_valid_setting(path):
    assert load_settings(env={"NEWSQA_EMBEDDING": path}).embedding == path
