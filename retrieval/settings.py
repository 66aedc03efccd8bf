"""One typed settings object, read from the environment and an optional TOML file."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Mapping

from retrieval.errors import SettingsError, os_reason

#: What NEWSQA_EMBEDDING may name: auto (the paths timed fastest on this machine), one
#: embedding path (retrieval.model.paths), torch (sentence-transformers), and the older
#: "openvino" (bfloat16 where the CPU has it, else float32) and "onnx" (4-bit weights).
EMBEDDING_SETTINGS = (
    "auto", "openvino-f32", "openvino-bf16", "onnxruntime-f32", "onnxruntime-int8", "onnxruntime-q4",
    "torch", "openvino", "onnx",
)

#: The model used when NEWSQA_MODEL is not set: built once from the offline bundle.
BUNDLED_MODEL = "multilingual-e5-small"

#: A passage is an answer only when it beats the question's best score against
#: unrelated background sentences by this much (see retrieval/query/background.py).
DEFAULT_MARGIN = 0.0
#: And it must score at least this (cosine); the margin does most of the work.
DEFAULT_MIN_SCORE = 0.0

def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsqa"


@dataclass(frozen=True)
class Settings:
    """Everything newsqa can be told. Environment variables win over the file.

    Environment variable / TOML key for each field:
        seeds            NEWSQA_SEEDS / seeds                 (default ./seeds)
        index            NEWSQA_INDEX / index                 (default ./index)
        model            NEWSQA_MODEL / model                 (default the bundled e5-small)
        cache_dir        NEWSQA_CACHE / cache_dir             (default ~/.cache/newsqa)
        min_score        NEWSQA_MIN_SCORE / min_score   (cosine floor for an answer)
        margin           NEWSQA_MARGIN / margin         (over the background sentences)
        threads          NEWSQA_THREADS / threads       (model threads; 0: PyTorch's default)
        follow_links     NEWSQA_FOLLOW_LINKS / follow_links (read links that leave the seeds folder)
        embedding        NEWSQA_EMBEDDING / embedding   (auto: timed per machine; or a path:
                         openvino-f32, openvino-bf16, onnxruntime-f32, onnxruntime-int8,
                         onnxruntime-q4; torch; the older openvino and onnx)
        ray_address      NEWSQA_RAY_ADDRESS / ray_address (index on a Ray cluster: host:port,
                         ray://host:port or auto for RAY_ADDRESS; unset: this machine)

    Front ends keep their own settings in a table of the same file (see bot/).
    """

    seeds: Path = Path("seeds")
    index: Path = Path("index")
    model: str = BUNDLED_MODEL
    cache_dir: Path = field(default_factory=_default_cache_dir)
    min_score: float = DEFAULT_MIN_SCORE
    margin: float = DEFAULT_MARGIN
    threads: int = 0
    follow_links: bool = False
    embedding: str = "auto"
    ray_address: str | None = None

    def with_overrides(self, **changes) -> Settings:
        """A copy with the given fields changed (None values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_ENV = {
    "seeds": "NEWSQA_SEEDS",
    "index": "NEWSQA_INDEX",
    "model": "NEWSQA_MODEL",
    "cache_dir": "NEWSQA_CACHE",
    "min_score": "NEWSQA_MIN_SCORE",
    "margin": "NEWSQA_MARGIN",
    "threads": "NEWSQA_THREADS",
    "follow_links": "NEWSQA_FOLLOW_LINKS",
    "embedding": "NEWSQA_EMBEDDING",
    "ray_address": "NEWSQA_RAY_ADDRESS",
}


def id_set(name: str, value) -> frozenset[int]:
    """A set of integer ids from a list or a comma/space-separated string."""
    if isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
    else:
        items = [p for p in re.split(r"[,\s]+", str(value)) if p]
    try:
        return frozenset(int(i) for i in items)
    except ValueError:
        raise SettingsError(f"{name} must be a list of numeric ids, got {value!r}") from None


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(value)


def convert(cls, name: str, value) -> object:
    """``value`` (from the environment or a file) as the type of field ``name`` of ``cls``.

    Raises:
        SettingsError: it cannot be converted.
    """
    kind = {f.name: f.type for f in fields(cls)}[name]
    try:
        if kind == "Path":
            return Path(str(value)).expanduser()
        if kind == "float":
            return float(value)
        if kind == "int":
            return int(value)
        if kind == "bool":
            return _boolean(value)
        if kind == "frozenset[int]":
            return id_set(name, value)
        text = str(value).strip()
        return text or None if kind == "str | None" else text
    except (TypeError, ValueError):
        raise SettingsError(f"setting {name} has an invalid value: {value!r}") from None


def read_config(env: Mapping[str, str], config_file: Path | None = None) -> tuple[dict, Path | None]:
    """The settings file's contents and its path: ``config_file``, else ``NEWSQA_CONFIG``,
    else ``./newsqa.toml`` if it exists; ({}, None) when there is none.

    Raises:
        SettingsError: the file cannot be read or is not valid TOML.
    """
    path = config_file or (Path(env["NEWSQA_CONFIG"]) if env.get("NEWSQA_CONFIG") else None)
    if path is None and Path("newsqa.toml").is_file():
        path = Path("newsqa.toml")
    if path is None:
        return {}, None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), path
    except OSError as exc:
        raise SettingsError(f"cannot read config file {path}: {os_reason(exc)} (NEWSQA_CONFIG or --config)") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"cannot read config file {path}: not a TOML settings file ({exc})") from None


def build_settings(
    cls, file_values: dict, env_names: Mapping[str, str], env: Mapping[str, str], where: str
):
    """A ``cls`` settings object from a file's values, overridden by the environment.

    Args:
        cls: the frozen settings dataclass.
        file_values: key -> value from the settings file (keys are field names).
        env_names: field name -> environment variable.
        env: the environment.
        where: how to name the file's keys in errors ("newsqa.toml", "newsqa.toml [x]").

    Raises:
        SettingsError: an unknown key or an invalid value.
    """
    values: dict[str, object] = {}
    for key, value in file_values.items():
        if key not in env_names:
            raise SettingsError(f"{where}: unknown key {key!r}")
        values[key] = value
    for name, var in env_names.items():
        if env.get(var, "").strip():
            values[name] = env[var]
    return cls(**{k: convert(cls, k, v) for k, v in values.items()})


def load_settings(
    env: Mapping[str, str] | None = None, config_file: Path | None = None
) -> Settings:
    """Read the engine's settings from a TOML file (if any) and the environment.

    The file is ``NEWSQA_CONFIG`` if set, else ``./newsqa.toml`` if it exists. Its
    tables belong to the front ends, which read them themselves.

    Raises:
        SettingsError: a value is invalid or the named file cannot be read.
    """
    env = os.environ if env is None else env
    data, path = read_config(env, config_file)
    top = {k: v for k, v in data.items() if not isinstance(v, dict)}
    settings = build_settings(Settings, top, _ENV, env, str(path))
    if not -1.0 <= settings.min_score <= 1.0:
        raise SettingsError("NEWSQA_MIN_SCORE must be between -1 and 1")
    if not -1.0 <= settings.margin <= 1.0:
        raise SettingsError("NEWSQA_MARGIN must be between -1 and 1")
    if settings.threads < 0:
        raise SettingsError("NEWSQA_THREADS must be 0 (one per core) or more")
    if settings.embedding not in EMBEDDING_SETTINGS:
        raise SettingsError(f"NEWSQA_EMBEDDING must be one of {', '.join(EMBEDDING_SETTINGS)}, not {settings.embedding!r}")
    return settings
